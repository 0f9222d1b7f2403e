"""Asking for a report: which one, for which period, with exact or public figures."""

import datetime
from typing import cast

from django import forms

from cre_portal.accounts.models import User
from cre_portal.forms import GDSForm
from referrals.forms.nrm import GovDateField
from reports.models import Cadence, ReportKind
from reports.permissions.runs import can_view_exact_figures
from reports.services.schedules import latest_completed_period

PUBLIC, EXACT = "public", "exact"
FIGURES_CHOICES = [
    (PUBLIC, "Public: counts from 1 to 4 are shown as “<5”, for the committee paper"),
    (EXACT, "Exact: every count as it is, for internal use only and not for publication"),
]
EARLIEST_START = datetime.date(2000, 1, 1)


class ReportRunRequestForm(GDSForm):
    submit_label = "Request the report"

    kind = forms.ChoiceField(
        label="Which report?",
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which report you want"},
    )
    period_start = GovDateField(
        label="First day of the period",
        what="the first day of the period",
        help_text="For example, 1 4 2025. Half-years start on 1 April and 1 October.",
    )
    period_end = GovDateField(
        label="Last day of the period",
        what="the last day of the period",
        help_text="For example, 30 9 2025. The period must be over before its report is made.",
    )
    figures = forms.ChoiceField(
        label="Which figures?",
        choices=FIGURES_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select public or exact figures"},
    )

    def __init__(self, *args, user: User, today: datetime.date, **kwargs):
        period = latest_completed_period(Cadence.SIX_MONTHLY, today)
        kwargs.setdefault(
            "initial",
            {
                "kind": ReportKind.CORPORATE_PARENTING,
                "period_start": period.start,
                "period_end": period.end,
                "figures": PUBLIC,
            },
        )
        super().__init__(*args, **kwargs)
        self.today = today
        if not can_view_exact_figures(user):
            # The data pack is exact by nature: only those who may see exact figures get it.
            del self.fields["figures"]
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (ReportKind.CORPORATE_PARENTING, ReportKind.CORPORATE_PARENTING.label)
            ]
        else:
            self.fields["kind"].help_text = "The looked-after children data pack always shows "
            self.fields["kind"].help_text += "exact figures: it is for the tasking group only."

    def clean_period_start(self):
        start = self.cleaned_data["period_start"]
        if start < EARLIEST_START:
            raise forms.ValidationError("The first day of the period must be in 2000 or later")
        return start

    def clean_period_end(self):
        end = self.cleaned_data["period_end"]
        if end >= self.today:
            raise forms.ValidationError("The last day of the period must be in the past")
        return end

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end",
                "The last day of the period must be the same as or after the first day",
            )
        return cleaned

    def request(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "exact": data.get("figures") == EXACT or data["kind"] == ReportKind.LAC_DATA_PACK,
        }
