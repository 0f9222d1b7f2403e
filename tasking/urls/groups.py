from django.urls import path

from tasking.views import groups

urlpatterns = [
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<uuid:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<uuid:pk>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<uuid:pk>/members/new/", groups.group_member_add, name="group_member_add"),
    path("memberships/<int:pk>/end/", groups.membership_end, name="membership_end"),
    path(
        "memberships/<int:pk>/clearance/",
        groups.membership_clearance,
        name="membership_clearance",
    ),
]
