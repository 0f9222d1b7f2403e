from django.urls import path

from risk_assessment.views import meetings

urlpatterns = [
    path("children/<uuid:pk>/meetings/", meetings.child_meetings, name="child_meetings"),
    path("children/<uuid:pk>/meetings/new/", meetings.meeting_book, name="meeting_book"),
    path(
        "assessments/<uuid:pk>/meetings/new/",
        meetings.meeting_book_from_assessment,
        name="meeting_book_from_assessment",
    ),
    path("meetings/<uuid:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<uuid:pk>/attendees/new/",
        meetings.meeting_attendee_add,
        name="meeting_attendee_add",
    ),
    path("meetings/<uuid:pk>/record/", meetings.meeting_record, name="meeting_record"),
    path("meetings/<uuid:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:pk>/actions/new/", meetings.meeting_action_add, name="meeting_action_add"),
    path(
        "meeting-actions/<uuid:pk>/done/", meetings.meeting_action_done, name="meeting_action_done"
    ),
    path(
        "meeting-actions/<uuid:pk>/cancel/",
        meetings.meeting_action_cancel,
        name="meeting_action_cancel",
    ),
    path("meetings/<uuid:pk>/agenda.pdf", meetings.meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path(
        "meetings/<uuid:pk>/agenda.docx", meetings.meeting_agenda_docx, name="meeting_agenda_docx"
    ),
    path(
        "meetings/<uuid:pk>/minutes.pdf", meetings.meeting_minutes_pdf, name="meeting_minutes_pdf"
    ),
    path(
        "meetings/<uuid:pk>/minutes.docx",
        meetings.meeting_minutes_docx,
        name="meeting_minutes_docx",
    ),
]
