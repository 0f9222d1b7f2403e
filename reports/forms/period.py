"""The period a report covers: two GOV.UK date inputs, or the same dates as ISO in a link."""

import datetime
from typing import Any

from django.http import QueryDict

from cre_portal.forms import GDSForm
from referrals.forms.referrals import GDSDateField
from reports.models import Cadence
from reports.services.schedules import latest_completed_period

Period = tuple[datetime.date, datetime.date]
EARLIEST_YEAR = 2000
LONGEST_PERIOD = datetime.timedelta(days=5 * 366)


def last_complete_half_year(today: datetime.date) -> Period:
    """The latest half-year (April to September, October to March) that has ended."""
    period = latest_completed_period(Cadence.SIX_MONTHLY, today)
    return period.start, period.end


class PeriodForm(GDSForm):
    submit_label = "Show report"

    start = GDSDateField(name="Start date", label="From", help_text="For example, 1 4 2025")
    end = GDSDateField(name="End date", label="To", help_text="For example, 30 9 2025")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and start.year < EARLIEST_YEAR:
            self.add_error("start", f"Start date must be in {EARLIEST_YEAR} or later")
        elif start and end and end < start:
            self.add_error("end", "End date must be the same as or after the start date")
        elif start and end and end - start > LONGEST_PERIOD:
            self.add_error("end", "The period must be 5 years or shorter")
        return data


def _parts(name: str, iso: str) -> dict[str, str]:
    """An ISO date as the day, month and year inputs, so one form checks both ways in."""
    year, _, rest = iso.partition("-")
    month, _, day = rest.partition("-")
    # "04" is shown as "4", as someone would type it.
    parts = [part.lstrip("0") or part for part in (day, month)]
    return {f"{name}_0": parts[0], f"{name}_1": parts[1], f"{name}_2": year}


def is_typed_period(query: QueryDict) -> bool:
    """Whether the dates were typed into the form (start_0...), not given as ISO in a link."""
    return not {"start", "end"} & query.keys() and any(
        key.startswith(("start_", "end_")) for key in query
    )


def requested_period(query: QueryDict, *, today: datetime.date) -> tuple[PeriodForm, Period | None]:
    """The form to show and the period to report on: the last half-year when no dates are
    given, None while the dates given are wrong (the form then says why)."""
    if {"start", "end"} & query.keys():
        form = PeriodForm(
            _parts("start", query.get("start", "")) | _parts("end", query.get("end", ""))
        )
    elif is_typed_period(query):
        form = PeriodForm(query)
    else:
        start, end = last_complete_half_year(today)
        return PeriodForm(initial={"start": start, "end": end}), (start, end)
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["start"], form.cleaned_data["end"])


def period_query(period: Period) -> str:
    """The query string that links to a period: ?start=2025-04-01&end=2025-09-30."""
    query = QueryDict(mutable=True)
    query.update({"start": period[0].isoformat(), "end": period[1].isoformat()})
    return query.urlencode()
