"""Risk assessment URLs. Each area keeps its routes in its own module, all in one namespace."""

from django.urls import include, path

app_name = "risk_assessment"

urlpatterns = [
    path("", include("risk_assessment.urls.assessments")),
    path("", include("risk_assessment.urls.offer")),
    path("", include("risk_assessment.urls.meetings")),
    path("", include("risk_assessment.urls.feedback")),
]
