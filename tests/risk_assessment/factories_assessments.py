"""Assessment templates and risk assessments in each state, built straight from the models.

`small_template()` is a published template with five indicators whose weights are easy to add
up: thresholds Medium 5, High 10; one significant indicator (the trap house). Each call makes a
new, higher version, so it becomes the current template for assessments started afterwards.
"""

import datetime

import factory
from django.db.models import Max
from django.utils import timezone

from cre_portal.timescales import risk_review_due
from referrals.codes import ExploitationType, RiskLevel
from risk_assessment.models import (
    Assessment,
    AssessmentTemplate,
    Domain,
    IndicatorAnswer,
    TemplateIndicator,
)
from risk_assessment.scoring import PRESENT, score_answers
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory

Status = Assessment.Status
Answer = IndicatorAnswer.Answer

# Each indicator's code with its domain, weight and whether it is significant on its own.
SMALL_TEMPLATE = {
    "went-missing": (Domain.MISSING, 3, False),
    "older-associates": (Domain.ASSOCIATES, 4, False),
    "unexplained-money": (Domain.MONEY, 2, False),
    "trap-house": (Domain.PLACES, 5, True),
    "online-grooming": (Domain.ONLINE, 3, False),
}


def next_version() -> int:
    """One more than any version so far (the default template is version 1)."""
    latest = AssessmentTemplate.objects.aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


class TemplateFactory(factory.django.DjangoModelFactory):
    """A draft version with no indicators."""

    class Meta:
        model = AssessmentTemplate

    version = factory.LazyFunction(next_version)
    name = "Test assessment"
    medium_threshold = 5
    high_threshold = 10


class PublishedTemplateFactory(TemplateFactory):
    published_at = factory.LazyFunction(timezone.now)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateIndicator

    template = factory.SubFactory(TemplateFactory)
    domain = Domain.MISSING
    code = factory.Sequence(lambda n: f"indicator-{n}")
    text = factory.Sequence(lambda n: f"Indicator number {n}")
    weight = 2
    # position is a smallint: keep the sequence bounded however many tests run.
    position = factory.Sequence(lambda n: (n % 3000 + 1) * 10)


def small_template(*, published: bool = True, **kwargs) -> AssessmentTemplate:
    """A template with the five SMALL_TEMPLATE indicators, in that order."""
    template_factory = PublishedTemplateFactory if published else TemplateFactory
    template = template_factory(**kwargs)
    for number, (code, (domain, weight, significant)) in enumerate(SMALL_TEMPLATE.items()):
        IndicatorFactory(
            template=template,
            domain=domain,
            code=code,
            text=code.replace("-", " ").capitalize(),
            weight=weight,
            is_significant=significant,
            position=(number + 1) * 10,
        )
    return template


def set_answers(assessment: Assessment, answers: dict[str, str], default: str = "") -> None:
    """Answer the assessment's indicators (code -> answer; the rest `default`) and rescore."""
    IndicatorAnswer.objects.filter(assessment=assessment).delete()
    rows = [
        IndicatorAnswer(
            assessment=assessment,
            indicator=indicator,
            answer=answers.get(indicator.code, default),
            evidence="Seen by the school" if answers.get(indicator.code) == PRESENT else "",
            source="School" if answers.get(indicator.code) == PRESENT else "",
        )
        for indicator in assessment.template.indicators.all()
    ]
    IndicatorAnswer.objects.bulk_create(rows)
    by_id = {row.indicator_id: row.answer for row in rows}
    assessment.score, assessment.computed_level = score_answers(assessment.template, by_id)
    assessment.level = assessment.override_level or assessment.computed_level
    assessment.save(update_fields=["score", "computed_level", "level"])


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft from a referral, nothing answered yet, by a social worker.

    Pass `answers={"went-missing": "PRESENT"}`; the others get `answers__default`.
    """

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    assessment_ref = factory.Sequence(lambda n: f"RA-TEST-{n:05d}")
    child = factory.SubFactory(ChildFactory)
    template = factory.LazyFunction(small_template)
    origin = Assessment.Origin.REFERRAL
    exploitation_type = ""
    created_by = factory.SubFactory(UserFactory)
    computed_level = RiskLevel.LOW
    level = RiskLevel.LOW
    score = 0

    @factory.post_generation
    def answers(self, create, extracted, default="", **kwargs):
        if create:
            set_answers(self, extracted or {}, default=default)


class CompleteAssessmentFactory(AssessmentFactory):
    """A draft with every indicator answered (not present unless given) and the child's view."""

    exploitation_type = ExploitationType.CCE
    child_view = "I just hang around with my mates."
    answers__default = Answer.NOT_PRESENT


class SubmittedAssessmentFactory(CompleteAssessmentFactory):
    status = Status.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=3))


class ApprovedAssessmentFactory(SubmittedAssessmentFactory):
    """Approved a month ago, with the review date its level gives."""

    status = Status.APPROVED
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    decided_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    decided_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def review(self, create, extracted, **kwargs):
        # After the answers have set the level.
        if create:
            self.next_review_on = risk_review_due(self.level, self.completed_on)
            self.save(update_fields=["next_review_on"])
