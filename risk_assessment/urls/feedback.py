from django.urls import path

from risk_assessment.views import feedback

urlpatterns = [
    path("children/<uuid:pk>/feedback/", feedback.child_feedback, name="child_feedback"),
    path(
        "children/<uuid:pk>/feedback/new/",
        feedback.feedback_link_create,
        name="feedback_link_create",
    ),
    # Before the token route, which would otherwise take "summary" and "thanks" for tokens.
    path("feedback/summary/", feedback.feedback_summary, name="feedback_summary"),
    path("feedback/thanks/", feedback.feedback_thanks, name="feedback_thanks"),
    path("feedback/<str:token>/", feedback.feedback_respond, name="feedback_respond"),
]
