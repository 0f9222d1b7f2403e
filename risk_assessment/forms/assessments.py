"""Forms for starting, answering, submitting and deciding a CRE risk assessment.

Field names match the services' keyword arguments (risk_assessment/services/assessments.py),
so a view passes `cleaned_data` on and a service's error lands on the field it is about.
"""

import dataclasses
from typing import Any, cast

from django import forms
from django.utils.html import format_html

from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.codes import ExploitationType, RiskLevel
from risk_assessment.models import Assessment, IndicatorAnswer
from risk_assessment.services.assessments import AnswerInput

TEXT_LIMIT = 5000
LONG_TEXT = forms.Textarea(attrs={"rows": 5})
Origin = Assessment.Origin


def _long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


# --- Starting ---------------------------------------------------------------------------------
def start_choices(*, referrals, episodes, previous) -> list[tuple[str, str]]:
    """The origins the worker can pick: open referrals, completed interviews, or a review."""
    choices = [
        (
            f"referral:{referral.pk}",
            f"Referral {referral.referral_ref}, received {_long_date(referral.received_on)} "
            f"({referral.get_exploitation_type_display()})",
        )
        for referral in referrals
    ]
    for episode in episodes:
        returned = f", returned {_long_date(episode.ended_at)}" if episode.ended_at else ""
        choices.append(
            (f"rhi:{episode.pk}", f"Return home interview after {episode.episode_ref}{returned}")
        )
    if previous is not None:
        approved = _long_date(previous.completed_on)
        level = previous.get_level_display()
        choices.append(
            ("review", f"A review of {previous.assessment_ref} (approved {approved}, {level})")
        )
    return choices


class AssessmentStartForm(GDSForm):
    submit_label = "Start the assessment"

    start_from = forms.ChoiceField(
        label="What does this assessment start from?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what this assessment starts from",
            "invalid_choice": "Select what this assessment starts from",
        },
    )

    def __init__(self, *args: Any, referrals, episodes, previous, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referrals = {str(r.pk): r for r in referrals}
        self.episodes = {str(e.pk): e for e in episodes}
        field = cast(forms.ChoiceField, self.fields["start_from"])
        field.choices = start_choices(referrals=referrals, episodes=episodes, previous=previous)

    def clean(self) -> dict[str, Any]:
        """The service's arguments: the origin and the referral or episode it names."""
        cleaned = super().clean() or {}
        kind, _, pk = cleaned.pop("start_from", "").partition(":")
        origins = {"referral": Origin.REFERRAL, "rhi": Origin.RHI}
        cleaned["origin"] = origins.get(kind, Origin.REVIEW)
        cleaned["referral"] = self.referrals.get(pk) if kind == "referral" else None
        cleaned["missing_episode"] = self.episodes.get(pk) if kind == "rhi" else None
        return cleaned


# --- A section of indicators ------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class IndicatorRow:
    """One indicator and its three bound fields, for the template to lay out as a fieldset."""

    indicator: Any
    answer: forms.BoundField
    evidence: forms.BoundField
    source: forms.BoundField

    @property
    def errors(self) -> list[str]:
        return [*self.answer.errors, *self.evidence.errors, *self.source.errors]


class AssessmentSectionForm(forms.Form):
    """The indicators of one domain. Unanswered ones may be left for later: saving never fails
    for a gap, only submitting does."""

    version = VersionField()

    def __init__(self, *args: Any, answers, **kwargs: Any) -> None:
        """`answers`: the section's IndicatorAnswer rows, with their indicators."""
        initial = {}
        for row in answers:
            initial.update(
                {
                    f"answer_{row.indicator_id}": row.answer,
                    f"evidence_{row.indicator_id}": row.evidence,
                    f"source_{row.indicator_id}": row.source,
                }
            )
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.indicators = [row.indicator for row in answers]
        for indicator in self.indicators:
            self._add_fields(indicator)

    def _add_fields(self, indicator) -> None:
        self.fields[f"answer_{indicator.pk}"] = forms.ChoiceField(
            label=indicator.text,
            choices=IndicatorAnswer.Answer.choices,
            required=False,
            error_messages={"invalid_choice": "Select present, not present or not known"},
        )
        self.fields[f"evidence_{indicator.pk}"] = forms.CharField(
            label="Evidence",
            required=False,
            max_length=TEXT_LIMIT,
            error_messages={"max_length": "Evidence must be 5,000 characters or fewer"},
        )
        self.fields[f"source_{indicator.pk}"] = forms.CharField(
            label="Source",
            required=False,
            max_length=150,
            error_messages={"max_length": "Source must be 150 characters or fewer"},
        )

    @property
    def rows(self) -> list[IndicatorRow]:
        return [
            IndicatorRow(
                indicator,
                self[f"answer_{indicator.pk}"],
                self[f"evidence_{indicator.pk}"],
                self[f"source_{indicator.pk}"],
            )
            for indicator in self.indicators
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers = {
            indicator.pk: AnswerInput(
                answer=data[f"answer_{indicator.pk}"],
                evidence=data[f"evidence_{indicator.pk}"],
                source=data[f"source_{indicator.pk}"],
            )
            for indicator in self.indicators
        }
        return {"expected_version": data["version"], "answers": answers}


class SectionFormMixin:
    """Views and judgement pages save and continue, like the indicator sections."""

    submit_label = "Save and continue"

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)  # type: ignore[attr-defined]
        data["expected_version"] = data.pop("version")
        return data


class AssessmentViewsForm(SectionFormMixin, GDSForm):
    exploitation_type = forms.ChoiceField(
        label="What type of exploitation is the concern?",
        choices=ExploitationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of exploitation"},
    )
    child_view = forms.CharField(
        label="The child's own view",
        help_text=(
            "In the child's own words where you can. If you could not get their view, "
            "say why and what you will do to get it."
        ),
        required=False,
        max_length=TEXT_LIMIT,
        widget=LONG_TEXT,
        error_messages={"max_length": "The child's view must be 5,000 characters or fewer"},
    )
    parent_view = forms.CharField(
        label="The parent or carer's view (optional)",
        required=False,
        max_length=TEXT_LIMIT,
        widget=LONG_TEXT,
        error_messages={
            "max_length": "The parent or carer's view must be 5,000 characters or fewer"
        },
    )
    version = VersionField()


class AssessmentJudgementForm(SectionFormMixin, GDSForm):
    override_level = forms.ChoiceField(
        label="What level of risk do you judge this to be?",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of risk you judge this to be"},
    )
    override_reason = forms.CharField(
        label="Why is your judgement different from the computed level?",
        help_text="Only needed if you chose a level different from the computed level.",
        required=False,
        max_length=TEXT_LIMIT,
        widget=LONG_TEXT,
        error_messages={"max_length": "The reason must be 5,000 characters or fewer"},
    )
    version = VersionField()

    def __init__(self, *args: Any, computed_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["override_level"].help_text = format_html(
            "The answers give <strong>{}</strong>. Choose another level only if your "
            "professional judgement differs, and say why.",
            computed_label,
        )


# --- Submitting and deciding ------------------------------------------------------------------
class AssessmentSubmitForm(GDSForm):
    submit_label = "Submit for approval"
    version = VersionField()


class AssessmentApproveForm(GDSForm):
    submit_label = "Approve the assessment"
    confirm_lowering = forms.BooleanField(
        label="I agree the level should be lowered",
        required=False,
    )
    version = VersionField()

    def __init__(self, *args: Any, lowering: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not lowering:
            del self.fields["confirm_lowering"]


class AssessmentReturnForm(GDSForm):
    submit_label = "Return the assessment"
    comments = forms.CharField(
        label="What needs to change?",
        help_text="The worker sees these comments on the assessment.",
        max_length=TEXT_LIMIT,
        widget=LONG_TEXT,
        error_messages={
            "required": "Enter what needs to change",
            "max_length": "Comments must be 5,000 characters or fewer",
        },
    )
    version = VersionField()
