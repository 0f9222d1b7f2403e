"""Tasking meetings, agendas, actions and escalations (under /tasking/)."""

from django.urls import path

from tasking.views import actions, meetings

urlpatterns = [
    # A group's meetings and actions
    path("groups/<uuid:pk>/meetings/", meetings.meeting_list, name="meeting_list"),
    path("groups/<uuid:pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("groups/<uuid:pk>/actions/", actions.group_actions, name="group_actions"),
    # A meeting and its agenda
    path("meetings/<uuid:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:pk>/agenda/draft/", meetings.agenda_draft, name="agenda_draft"),
    path("meetings/<uuid:pk>/agenda/new-item/", meetings.agenda_item_add, name="agenda_item_add"),
    path("meetings/<uuid:pk>/agenda/publish/", meetings.agenda_publish, name="agenda_publish"),
    path("meetings/<uuid:pk>/agenda/pdf/", meetings.agenda_pdf_download, name="agenda_pdf"),
    path("meetings/<uuid:pk>/agenda/word/", meetings.agenda_docx_download, name="agenda_docx"),
    path("meetings/<uuid:pk>/attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path("meetings/<uuid:pk>/hold/", meetings.meeting_hold, name="meeting_hold"),
    path("agenda-items/<uuid:pk>/edit/", meetings.agenda_item_edit, name="agenda_item_edit"),
    path(
        "agenda-items/<uuid:pk>/minutes/", meetings.agenda_item_minutes, name="agenda_item_minutes"
    ),
    # Actions
    path("meetings/<uuid:pk>/actions/new/", actions.action_create, name="action_create"),
    path("actions/mine/", actions.my_actions, name="my_actions"),
    path("actions/<uuid:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<uuid:pk>/update/", actions.action_update, name="action_update"),
    # Escalations
    path("meetings/<uuid:pk>/escalate/", actions.escalation_create, name="escalation_create"),
    path("escalations/", actions.escalation_list, name="escalation_list"),
    path("escalations/<uuid:pk>/", actions.escalation_detail, name="escalation_detail"),
    path("escalations/<uuid:pk>/decide/", actions.escalation_decide, name="escalation_decide"),
]
