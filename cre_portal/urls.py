from django.contrib import admin
from django.urls import include, path

from cre_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("cre_portal.accounts.urls")),
    path("", include("referrals.urls")),
    path("", include("risk_assessment.urls")),
    path("", include("tasking.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
