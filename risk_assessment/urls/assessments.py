"""Risk assessments and the assessment template's versions."""

from django.urls import path

from risk_assessment.views import assessments, templates

urlpatterns = [
    path(
        "children/<uuid:pk>/assessments/",
        assessments.child_assessments,
        name="child_assessments",
    ),
    path(
        "children/<uuid:pk>/assessments/chart.svg",
        assessments.assessment_chart,
        name="assessment_chart",
    ),
    path(
        "children/<uuid:pk>/assessments/new/",
        assessments.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<uuid:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<uuid:pk>/edit/", assessments.assessment_edit, name="assessment_edit"),
    path("assessments/<uuid:pk>/submit/", assessments.assessment_submit, name="assessment_submit"),
    path(
        "assessments/<uuid:pk>/approve/", assessments.assessment_approve, name="assessment_approve"
    ),
    path("assessments/<uuid:pk>/return/", assessments.assessment_return, name="assessment_return"),
    # The template's versions. Routes carry the version's id (the access matrix addresses every
    # object by `pk`); pages show the version number.
    path("assessment-templates/", templates.template_list, name="template_list"),
    path(
        "assessment-templates/new-version/",
        templates.template_new_version,
        name="template_new_version",
    ),
    path("assessment-templates/<int:pk>/", templates.template_detail, name="template_detail"),
    path("assessment-templates/<int:pk>/edit/", templates.template_edit, name="template_edit"),
    path(
        "assessment-templates/<int:pk>/publish/",
        templates.template_publish,
        name="template_publish",
    ),
    path(
        "assessment-templates/<int:pk>/indicators/new/",
        templates.template_indicator_add,
        name="template_indicator_add",
    ),
    path(
        "assessment-templates/indicators/<int:pk>/edit/",
        templates.template_indicator_edit,
        name="template_indicator_edit",
    ),
    path(
        "assessment-templates/indicators/<int:pk>/remove/",
        templates.template_indicator_remove,
        name="template_indicator_remove",
    ),
]
