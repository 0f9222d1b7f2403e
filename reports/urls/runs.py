from django.urls import path

from reports.models import ReportFormat
from reports.views import runs, schedules

urlpatterns = [
    path("", runs.run_list, name="run_list"),
    path("runs/new/", runs.run_request, name="run_request"),
    path("runs/<uuid:pk>/", runs.run_detail, name="run_detail"),
    path("runs/<uuid:pk>/status/", runs.run_status, name="run_status"),
    path("runs/<uuid:pk>/retry/", runs.run_retry, name="run_retry"),
    # One route per format (.../pdf/, .../docx/, ...) rather than <str:fmt>: an unknown format is
    # no route at all, and `{% url "reports:run_download" pk=... fmt="pdf" %}` still reverses.
    *(
        path(f"runs/<uuid:pk>/{fmt}/", runs.run_download, {"fmt": fmt}, name="run_download")
        for fmt in ReportFormat.values
    ),
    path("schedules/", schedules.schedule_list, name="schedule_list"),
    path("schedules/new/", schedules.schedule_create, name="schedule_create"),
    path("schedules/<uuid:pk>/", schedules.schedule_edit, name="schedule_edit"),
    path(
        "schedules/<uuid:pk>/deactivate/",
        schedules.schedule_deactivate,
        name="schedule_deactivate",
    ),
    path("paper-template/", schedules.paper_template_edit, name="paper_template_edit"),
]
