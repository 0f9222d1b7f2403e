"""Forms for the CRE Offer: adding support from the catalogue and one small form per step.

Field names match the keyword arguments of the services in risk_assessment/services/offer.py, so
a view passes `cleaned_data` straight on and a service's error lands on the field it is about.
"""

from crispy_forms_gds.choices import Choice
from django import forms

from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.codes import RiskLevel
from referrals.forms.nrm import DATE_EXAMPLE, GovDateField
from risk_assessment.models import Intervention

TEXT_LIMIT = 2000
PROVIDER_HINT = "The service or organisation, for example Northshire Youth Service."


def _text_field(*, label: str, help_text: str, required: bool, required_message: str = ""):
    messages = {
        "max_length": f"{label.removesuffix(' (optional)')} must be 2,000 characters or fewer"
    }
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=messages,
    )


def _provider_field(*, label: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=PROVIDER_HINT,
        max_length=150,
        error_messages={
            "required": required_message,
            "max_length": "Provider must be 150 characters or fewer",
        },
    )


def _describe(intervention: Intervention) -> str:
    levels = ", ".join(RiskLevel(level).label for level in intervention.levels)
    return f"{intervention.get_category_display()}. Usually offered at {levels} risk."


class OfferItemAddForm(GDSForm):
    submit_label = "Add to the CRE Offer"
    intervention = forms.ChoiceField(
        label="Which support do you want to add?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the support you want to add",
            "invalid_choice": "Select the support you want to add",
        },
    )

    def __init__(self, *args, interventions: list[Intervention], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.interventions = {str(i.pk): i for i in interventions}
        self.fields["intervention"].choices = [  # type: ignore[attr-defined]
            Choice(str(i.pk), i.name, hint=_describe(i)) for i in interventions
        ]

    def clean_intervention(self) -> Intervention:
        return self.interventions[self.cleaned_data["intervention"]]


class OfferItemOfferForm(GDSForm):
    submit_label = "Save as offered"
    offered_on = GovDateField(
        label="When was it offered?", what="the date it was offered", help_text=DATE_EXAMPLE
    )
    provider = _provider_field(
        label="Who will provide it?", required_message="Enter who will provide this support"
    )
    version = VersionField()


class OfferItemNotOfferedForm(GDSForm):
    submit_label = "Save as not offered"
    reason = _text_field(
        label="Why is this support not being offered?",
        help_text="For example, the child already gets this support from another service.",
        required=True,
        required_message="Enter why this support is not being offered",
    )
    version = VersionField()


class OfferItemAcceptForm(GDSForm):
    submit_label = "Save as accepted"
    responded_on = GovDateField(
        label="When was it accepted?", what="the date it was accepted", help_text=DATE_EXAMPLE
    )
    version = VersionField()


class OfferItemDeclineForm(GDSForm):
    submit_label = "Save as declined"
    responded_on = GovDateField(
        label="When was it declined?", what="the date it was declined", help_text=DATE_EXAMPLE
    )
    reason = _text_field(
        label="What did the child or family say? (optional)",
        help_text="Kept on this record only; it is not shown on the chronology.",
        required=False,
    )
    version = VersionField()


class OfferItemStartForm(GDSForm):
    submit_label = "Save as started"
    started_on = GovDateField(
        label="When did it start?", what="the date it started", help_text=DATE_EXAMPLE
    )
    provider = _provider_field(
        label="Who is providing it?", required_message="Enter who is providing this support"
    )
    version = VersionField()


class OfferItemEndForm(GDSForm):
    submit_label = "Save as ended"
    ended_on = GovDateField(
        label="When did it end?", what="the date it ended", help_text=DATE_EXAMPLE
    )
    outcome = _text_field(
        label="What was the outcome?",
        help_text=(
            "For example, what changed for the child, or why it ended early. "
            "Kept on this record only; it is not shown on the chronology."
        ),
        required=True,
        required_message="Enter the outcome of this support",
    )
    version = VersionField()
