"""Keeping report schedules, and the committee paper's wording."""

from typing import cast

from django import forms
from django.db import models
from django.db.models import Q, QuerySet

from cre_portal.accounts.models import User
from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from reports.forms.runs import EXACT, FIGURES_CHOICES, PUBLIC
from reports.models import Cadence, PaperTemplate, ReportKind
from reports.renderers.paper_text import PlaceholderError, unknown_placeholders

MAX_DAYS_AFTER = 90
YES, NO = "yes", "no"


def report_readers() -> QuerySet[User]:
    """Active users who may read reports: the people a schedule can email."""
    perm = Q(
        groups__permissions__content_type__app_label="reports",
        groups__permissions__codename="view_reports",
    ) | Q(
        user_permissions__content_type__app_label="reports",
        user_permissions__codename="view_reports",
    )
    return User.objects.filter(perm, is_active=True).distinct().order_by("full_name", "email")


class RecipientsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})"


class ReportScheduleForm(GDSForm):
    submit_label = "Save the schedule"

    name = forms.CharField(
        label="Name",
        help_text="For example, Corporate Parenting committee report.",
        max_length=120,
        error_messages={
            "required": "Enter a name for the schedule",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Which report?",
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which report to make"},
    )
    cadence = forms.ChoiceField(
        label="How often?",
        choices=Cadence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often to make the report"},
    )
    days_after = forms.IntegerField(
        label="How many days after the end of each period should it be made?",
        help_text="0 makes it the day after the period ends. Later gives time for late records.",
        min_value=0,
        max_value=MAX_DAYS_AFTER,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many days after the end of the period to make the report",
            "invalid": "The number of days must be a whole number, like 14",
            "min_value": "The number of days must be 0 or more",
            "max_value": f"The number of days must be {MAX_DAYS_AFTER} or fewer",
        },
    )
    figures = forms.ChoiceField(
        label="Which figures?",
        choices=FIGURES_CHOICES,
        widget=forms.RadioSelect,
        help_text="The looked-after children data pack always shows exact figures.",
        error_messages={"required": "Select public or exact figures"},
    )
    recipients = RecipientsField(
        label="Who should be emailed when it is ready? (optional)",
        help_text="They get a link to the report's page, never the file. Only people who may "
        "read reports are listed.",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, schedule=None, **kwargs):
        if schedule is not None:
            kwargs.setdefault("initial", _initial(schedule))
        super().__init__(*args, **kwargs)
        cast(RecipientsField, self.fields["recipients"]).queryset = report_readers()
        if schedule is not None:
            self.fields["active"] = forms.ChoiceField(
                label="Should the report still be made by itself?",
                choices=[(YES, "Yes"), (NO, "No, stop the schedule")],
                widget=forms.RadioSelect,
                error_messages={"required": "Select whether the schedule should continue"},
            )
            self.fields["version"] = VersionField()

    def schedule_fields(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        fields = {
            "kind": data["kind"],
            "name": data["name"],
            "cadence": data["cadence"],
            "days_after": data["days_after"],
            "exact": data["figures"] == EXACT or data["kind"] == ReportKind.LAC_DATA_PACK,
            "recipients": data["recipients"],
        }
        if "active" in data:
            fields["active"] = data["active"] == YES
        return fields


def _initial(schedule) -> dict:
    return {
        "name": schedule.name,
        "kind": schedule.kind,
        "cadence": schedule.cadence,
        "days_after": schedule.days_after,
        "figures": EXACT if schedule.exact else PUBLIC,
        "recipients": list(schedule.recipients.all()),
        "active": YES if schedule.active else NO,
        "version": schedule.version,
    }


class PaperTemplateForm(GDSForm):
    submit_label = "Save the wording"

    version = VersionField()

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name in PaperTemplate.SECTIONS:
            label = str(cast(models.Field, PaperTemplate._meta.get_field(name)).verbose_name)
            self.fields[name] = forms.CharField(
                label=label,
                help_text=help_text,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={
                    "required": f"Enter the text of {label[0].lower()}{label[1:]}",
                    "max_length": f"{label} must be 10,000 characters or fewer",
                },
            )
        self.order_fields(["version", *PaperTemplate.SECTIONS])

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name in PaperTemplate.SECTIONS:
            if name in cleaned:
                self._check_placeholders(name, cleaned[name])
        return cleaned

    def _check_placeholders(self, name: str, text: str) -> None:
        try:
            unknown = unknown_placeholders(text)
        except PlaceholderError as error:
            self.add_error(name, str(error))
            return
        if unknown:
            shown = ", ".join("{" + placeholder + "}" for placeholder in unknown)
            self.add_error(
                name, f"{shown} is not a placeholder: use one of those listed, or remove it"
            )

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in PaperTemplate.SECTIONS}
