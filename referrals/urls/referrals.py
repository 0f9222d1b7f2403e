from django.urls import path

from referrals.views import chronology, referrals

urlpatterns = [
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("referrals/<uuid:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<uuid:pk>/edit/", referrals.referral_edit, name="referral_edit"),
    path("referrals/<uuid:pk>/screen/", referrals.referral_screen_view, name="referral_screen"),
    path(
        "referrals/<uuid:pk>/allocate/", referrals.referral_allocate_view, name="referral_allocate"
    ),
    path("referrals/<uuid:pk>/close/", referrals.referral_close_view, name="referral_close"),
    path("children/<uuid:pk>/referrals/", referrals.child_referrals, name="child_referrals"),
    path(
        "children/<uuid:pk>/referrals/new/",
        referrals.referral_create_view,
        name="referral_create",
    ),
    path("children/<uuid:pk>/chronology/", chronology.child_chronology, name="child_chronology"),
    path(
        "children/<uuid:pk>/notes/new/", chronology.case_note_create_view, name="case_note_create"
    ),
    path("notes/<uuid:pk>/", chronology.case_note_detail, name="case_note_detail"),
]
