"""Report URLs. Each area keeps its routes in its own module, all in one namespace."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("reports/", include("reports.urls.runs")),
    path("reports/", include("reports.urls.screen")),
]
