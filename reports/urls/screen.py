from django.urls import path

from reports.renderers.sections import CHART_NAMES
from reports.views import screen

urlpatterns = [
    path("corporate-parenting/", screen.report_screen, name="screen"),
    # One route per chart rather than <str:name>: an unknown chart is no route at all, and
    # `{% url "reports:chart" name="risk-levels" %}` still reverses to the right one.
    *(
        path(
            f"corporate-parenting/chart/{name}.svg",
            screen.report_chart,
            {"name": name},
            name="chart",
        )
        for name in CHART_NAMES
    ),
]
