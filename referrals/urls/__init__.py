"""Case-work URLs. Each area keeps its routes in its own module, all in the referrals namespace."""

from django.urls import include, path

app_name = "referrals"

urlpatterns = [
    path("", include("referrals.urls.children")),
    path("", include("referrals.urls.referrals")),
    path("", include("referrals.urls.missing")),
    path("", include("referrals.urls.nrm")),
    path("", include("referrals.urls.imports")),
]
