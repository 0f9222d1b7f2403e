"""Forms for the steps of a National Referral Mechanism referral, one small form per step.

Field names match the keyword arguments of the services in referrals/services/nrm.py, so a
view passes `cleaned_data` straight on and a service's error lands on the field it is about.
"""

from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.models import Decision

NO_CONSENT_NEEDED = "Children do not need to consent to a referral to the NRM."
DATE_EXAMPLE = "For example, 27 11 2026."


class GovDateField(DateInputField):
    """A GOV.UK date input whose messages name the date, such as "Enter the date of referral"."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        super().__init__(require_all_fields=False, **kwargs)
        name = what[:1].upper() + what[1:]
        self.real_date_message = f"{name} must be a real date"
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"Enter {what}"
        digits = RegexValidator(r"^[0-9]+$", self.real_date_message)
        for part, subfield in zip(("day", "month", "year"), self.fields, strict=True):
            subfield.error_messages["incomplete"] = f"{name} must include a {part}"
            subfield.validators = [digits]
        # A two-digit year would be taken as the first century.
        self.fields[2].validators = [RegexValidator(r"^[0-9]{4}$", "Year must include 4 numbers")]

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError as error:
            # The library passes on Python's "day is out of range for month".
            raise ValidationError(self.real_date_message) from error


class DecisionField(forms.ChoiceField):
    def __init__(self, *, which: str, **kwargs: Any) -> None:
        super().__init__(
            label=f"What was the {which} decision?",
            choices=Decision.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Select whether the {which} decision was positive or negative"
            },
            **kwargs,
        )


class NrmStartForm(GDSForm):
    submit_label = "Start NRM referral"
    considered_on = GovDateField(
        label="When was a referral to the NRM first considered?",
        what="the date the NRM referral was considered",
        help_text=f"{DATE_EXAMPLE} {NO_CONSENT_NEEDED}",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="Notes are kept on this NRM referral only; they are not shown on the chronology.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Notes must be 2,000 characters or fewer"},
    )


class NrmReferForm(GDSForm):
    submit_label = "Save referral"
    referred_on = GovDateField(
        label="Date of referral",
        what="the date of referral",
        help_text=f"{DATE_EXAMPLE} {NO_CONSENT_NEEDED}",
    )
    first_responder_organisation = forms.CharField(
        label="First responder organisation",
        help_text="The organisation that made the referral, for example Northshire Police.",
        max_length=150,
        error_messages={
            "required": "Enter the first responder organisation",
            "max_length": "First responder organisation must be 150 characters or fewer",
        },
    )
    version = VersionField()


class NrmReasonableGroundsForm(GDSForm):
    submit_label = "Save decision"
    decision = DecisionField(which="reasonable grounds")
    decided_on = GovDateField(
        label="Date of the reasonable grounds decision",
        what="the date of the reasonable grounds decision",
        help_text=DATE_EXAMPLE,
    )
    version = VersionField()


class NrmConclusiveGroundsForm(GDSForm):
    submit_label = "Save decision"
    decision = DecisionField(which="conclusive grounds")
    decided_on = GovDateField(
        label="Date of the conclusive grounds decision",
        what="the date of the conclusive grounds decision",
        help_text=DATE_EXAMPLE,
    )
    version = VersionField()


class NrmReconsiderationForm(GDSForm):
    submit_label = "Save request"
    requested_on = GovDateField(
        label="Date reconsideration was requested",
        what="the date reconsideration was requested",
        help_text=DATE_EXAMPLE,
    )
    version = VersionField()


class NrmWithdrawForm(GDSForm):
    submit_label = "Withdraw NRM referral"
    withdrawn_on = GovDateField(
        label="Date the NRM referral was withdrawn",
        what="the date the NRM referral was withdrawn",
        help_text=DATE_EXAMPLE,
    )
    version = VersionField()
