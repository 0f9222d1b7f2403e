from django.urls import path

from referrals.views import nrm

urlpatterns = [
    path("nrm/", nrm.nrm_list, name="nrm_list"),
    path("children/<uuid:pk>/nrm/", nrm.child_nrm, name="child_nrm"),
    path("children/<uuid:pk>/nrm/new/", nrm.nrm_create, name="nrm_create"),
    path("nrm/<uuid:pk>/", nrm.nrm_detail, name="nrm_detail"),
    path("nrm/<uuid:pk>/refer/", nrm.nrm_refer, name="nrm_refer"),
    path(
        "nrm/<uuid:pk>/reasonable-grounds/",
        nrm.nrm_reasonable_grounds,
        name="nrm_reasonable_grounds",
    ),
    path(
        "nrm/<uuid:pk>/conclusive-grounds/",
        nrm.nrm_conclusive_grounds,
        name="nrm_conclusive_grounds",
    ),
    path("nrm/<uuid:pk>/reconsideration/", nrm.nrm_reconsideration, name="nrm_reconsideration"),
    path("nrm/<uuid:pk>/withdraw/", nrm.nrm_withdraw, name="nrm_withdraw"),
]
