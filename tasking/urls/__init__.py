"""Tasking URLs. Each area keeps its routes in its own module, all in one namespace."""

from django.urls import include, path

app_name = "tasking"

urlpatterns = [
    path("tasking/", include("tasking.urls.groups")),
    path("tasking/", include("tasking.urls.subjects")),
    path("tasking/", include("tasking.urls.meetings")),
]
