from django.urls import path

from referrals.views import children

urlpatterns = [
    path("children/", children.child_list, name="child_list"),
    path("children/new/", children.child_create, name="child_create"),
    path("children/<uuid:pk>/", children.child_detail, name="child_detail"),
    path("children/<uuid:pk>/edit/", children.child_edit, name="child_edit"),
    path("children/<uuid:pk>/restricted/", children.child_break_glass, name="child_break_glass"),
    path("children/<uuid:pk>/access-log/", children.child_access_log, name="child_access_log"),
]
