from django.urls import path

from referrals.views import missing, philomena

urlpatterns = [
    path("missing/", missing.missing_dashboard, name="missing_dashboard"),
    path("children/<uuid:pk>/missing/", missing.child_missing, name="child_missing"),
    path(
        "children/<uuid:pk>/missing/new/",
        missing.missing_episode_create_view,
        name="missing_episode_create",
    ),
    path("missing/<uuid:pk>/", missing.missing_episode_detail, name="missing_episode_detail"),
    path(
        "missing/<uuid:pk>/return/",
        missing.missing_episode_return_view,
        name="missing_episode_return",
    ),
    path("missing/<uuid:pk>/interview/", missing.return_interview_view, name="missing_interview"),
    path(
        "missing/<uuid:pk>/referral/",
        missing.interview_referral_start_view,
        name="missing_referral_start",
    ),
    path("children/<uuid:pk>/philomena/", philomena.philomena_detail, name="philomena_detail"),
    path("children/<uuid:pk>/philomena/edit/", philomena.philomena_edit, name="philomena_edit"),
    path("children/<uuid:pk>/philomena/print/", philomena.philomena_print, name="philomena_print"),
]
