"""Forms for recording, correcting, screening, allocating and closing referrals."""

import datetime
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from cre_portal.timescales import local_date
from referrals.codes import ExploitationType, ReferralSource
from referrals.models import Referral
from referrals.permissions.referrals import allocatable_workers

TEXTAREA = forms.Textarea(attrs={"rows": 5})
MIN_YEAR = 1900


def today() -> datetime.date:
    return local_date(timezone.now())


class GDSDateField(DateInputField):
    """A GOV.UK date input whose every error names the date, e.g. "... must be a real date"."""

    def __init__(self, *, name: str, past_only: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.name = name  # for example "Date the referral was received"
        self.error_messages["required"] = f"Enter the {name[0].lower()}{name[1:]}"
        real_date = RegexValidator(r"^[0-9]+$", f"{name} must be a real date")
        for part, subfield in zip(("day", "month", "year"), self.fields, strict=True):
            subfield.error_messages["incomplete"] = f"{name} must include a {part}"
            subfield.validators = [real_date]
        self.past_only = past_only

    def compress(self, data_list):
        try:
            value = super().compress(data_list)
        except ValidationError as error:
            raise ValidationError(f"{self.name} must be a real date", code="invalid") from error
        if value is not None and value.year < MIN_YEAR:
            raise ValidationError(f"{self.name} must be a real date", code="invalid")
        return value

    def validate(self, value):
        super().validate(value)
        if self.past_only and value is not None and value > today():
            raise ValidationError(f"{self.name} must be today or in the past", code="future")


class ReferralForm(GDSForm):
    submit_label = "Continue"

    received_on = GDSDateField(
        name="Date the referral was received",
        label="When was the referral received?",
        help_text="For example, 27 3 2025",
    )
    source = forms.ChoiceField(
        label="Where did the referral come from?",
        help_text="The CIN census referral source",
        choices=[("", "Select a source"), *ReferralSource.choices],
        error_messages={"required": "Select where the referral came from"},
    )
    referrer_name = forms.CharField(
        label="Name of the person who referred (optional)", max_length=150, required=False
    )
    referrer_organisation = forms.CharField(
        label="Their organisation (optional)", max_length=150, required=False
    )
    referrer_contact = forms.CharField(
        label="Their phone number or email address (optional)", max_length=150, required=False
    )
    exploitation_type = forms.ChoiceField(
        label="What kind of exploitation is the concern?",
        choices=ExploitationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the exploitation type"},
    )
    concerns = forms.CharField(
        label="What are the concerns? (optional)",
        help_text="What the referrer told you. Only the people who can open this record see it.",
        required=False,
        widget=TEXTAREA,
    )

    def answers(self) -> list[tuple[str, str]]:
        """The cleaned answers as the check page shows them."""
        data = self.cleaned_data
        received = data["received_on"]
        referrer = [data["referrer_name"], data["referrer_organisation"], data["referrer_contact"]]
        return [
            ("Date received", f"{received.day} {received:%B %Y}"),
            ("Source", str(ReferralSource(data["source"]).label)),
            ("Referred by", ", ".join(part for part in referrer if part) or "Not recorded"),
            ("Exploitation", str(ExploitationType(data["exploitation_type"]).label)),
            ("Concerns", data["concerns"] or "None recorded"),
        ]

    def confirmation_data(self) -> list[tuple[str, str]]:
        """The submitted values of this form's fields, for hidden inputs on the check page."""
        pairs = []
        for bound in self:
            names = [f"{bound.html_name}_{i}" for i in range(3)]
            if not isinstance(bound.field, GDSDateField):
                names = [bound.html_name]
            pairs += [(name, self.data.get(name, "")) for name in names]
        return pairs


class ReferralEditForm(ReferralForm):
    submit_label = "Save changes"
    version = VersionField()


class ScreeningForm(GDSForm):
    submit_label = "Save decision"

    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=[
            (Referral.Status.ACCEPTED, "Screen in: accept for CRE support"),
            (Referral.Status.NO_FURTHER_ACTION, "Screen out: no further action"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to screen the referral in or out"},
    )
    screened_on = GDSDateField(name="Screening date", label="Date of the decision")
    rationale = forms.CharField(
        label="Reasons for the decision",
        widget=TEXTAREA,
        error_messages={"required": "Enter the reasons for the decision"},
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        self.referral = referral
        kwargs.setdefault("initial", {"screened_on": today()})
        super().__init__(*args, **kwargs)

    def clean_screened_on(self):
        screened_on = self.cleaned_data["screened_on"]
        received_on = self.referral.received_on
        if screened_on < received_on:
            raise ValidationError(
                "Screening date must be the same as or after the date the referral was received "
                f"({received_on.day} {received_on:%B %Y})"
            )
        return screened_on


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.team or 'no team'})"


class AllocationForm(GDSForm):
    submit_label = "Allocate"

    worker = WorkerChoiceField(
        label="Who should work with this child?",
        help_text="Workers who record referrals and can open this child's record",
        queryset=None,
        empty_label="Select a worker",
        error_messages={
            "required": "Select the worker to allocate",
            "invalid_choice": "Select a worker from the list",
        },
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = allocatable_workers(referral.child)  # type: ignore[attr-defined]
        if referral.allocated_worker_id:
            self.fields["worker"].initial = referral.allocated_worker_id


class ClosureForm(GDSForm):
    submit_label = "Close referral"

    reason = forms.ChoiceField(
        label="Why is the referral being closed?",
        choices=Referral.ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the referral is being closed"},
    )
    closed_on = GDSDateField(name="Closure date", label="Date of closure")
    note = forms.CharField(
        label="Closure note",
        help_text="Required when the reason is Other",
        required=False,
        widget=TEXTAREA,
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        self.referral = referral
        kwargs.setdefault("initial", {"closed_on": today()})
        super().__init__(*args, **kwargs)

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        screened_on = self.referral.screened_on or self.referral.received_on
        if closed_on < screened_on:
            raise ValidationError(
                "Closure date must be the same as or after the screening date "
                f"({screened_on.day} {screened_on:%B %Y})"
            )
        return closed_on

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        other = cleaned.get("reason") == Referral.ClosureReason.OTHER
        if other and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter why the referral is being closed")
        return cleaned


OPEN = "open"
ALL = "all"


class ReferralListFilterForm(GDSForm):
    submit_label = "Show referrals"

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            (OPEN, "Open (awaiting screening or accepted)"),
            *Referral.Status.choices,
            (ALL, "All referrals"),
        ],
        error_messages={"invalid_choice": "Select a status from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A GET form: a CSRF token would end up in the address bar, history and server logs.
        self.helper.disable_csrf = True

    def filter(self, referrals):
        """Apply the chosen status; open referrals when nothing (or nothing valid) is chosen."""
        status = (self.cleaned_data.get("status") if self.is_valid() else None) or OPEN
        if status == OPEN:
            return referrals.open()
        if status == ALL:
            return referrals
        return referrals.filter(status=status)
