from risk_assessment.models.assessment import Assessment, AssessmentQuerySet, IndicatorAnswer
from risk_assessment.models.feedback import FeedbackLink, FeedbackResponse
from risk_assessment.models.meetings import (
    MeetingAction,
    MeetingAttendee,
    MeetingQuerySet,
    ProfessionalsMeeting,
)
from risk_assessment.models.offer import Intervention, InterventionCategory, OfferItem
from risk_assessment.models.templates import (
    AssessmentTemplate,
    AssessmentTemplateQuerySet,
    Domain,
    TemplateIndicator,
)

__all__ = [
    "Assessment",
    "AssessmentQuerySet",
    "AssessmentTemplate",
    "AssessmentTemplateQuerySet",
    "Domain",
    "FeedbackLink",
    "FeedbackResponse",
    "IndicatorAnswer",
    "Intervention",
    "InterventionCategory",
    "MeetingAction",
    "MeetingAttendee",
    "MeetingQuerySet",
    "OfferItem",
    "ProfessionalsMeeting",
    "TemplateIndicator",
]
