"""Moments typed as a GOV.UK date input plus a 24-hour time, read as Europe/London wall-clock time.

Checked against the clock changes (the skipped spring hour does not exist; the repeated autumn
hour means the first) and returned in UTC, so that comparisons and arithmetic count elapsed time.
"""

import datetime
import re
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from cre_portal.timescales import LONDON

TIME_PATTERN = re.compile(r"^(?P<hour>\d{1,2})[:.]?(?P<minute>\d{2})$")
TIME_HINT = "Use the 24-hour clock, for example 21:30"


class LondonDateField(DateInputField):
    """GOV.UK date input whose messages name the date asked for ("the date they returned")."""

    def __init__(self, *, subject: str, **kwargs: Any) -> None:
        self.subject = subject
        sentence = subject[0].upper() + subject[1:]
        real = f"{sentence} must be a real date"
        parts = [
            forms.CharField(
                error_messages={"incomplete": f"{sentence} must include a {part}"},
                validators=[RegexValidator(pattern, real)],
            )
            for part, pattern in (("day", r"^\d{1,2}$"), ("month", r"^\d{1,2}$"))
        ]
        year = forms.CharField(
            error_messages={"incomplete": f"{sentence} must include a year"},
            validators=[RegexValidator(r"^\d{4}$", "Year must include 4 numbers")],
        )
        messages = {"required": f"Enter {subject}", "incomplete": f"Enter {subject}"}
        # Skip DateInputField.__init__: it hard-codes generic messages for the three parts.
        forms.MultiValueField.__init__(
            self,
            error_messages=messages,
            fields=(*parts, year),
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list: Any) -> datetime.date | None:
        try:
            return super().compress(data_list)
        except ValidationError:
            sentence = self.subject[0].upper() + self.subject[1:]
            raise ValidationError(f"{sentence} must be a real date", code="invalid") from None


class TimeOfDayField(forms.CharField):
    """A 24-hour time typed as 21:30, 21.30 or 2130."""

    def __init__(self, *, subject: str, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", TIME_HINT)
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter {subject}",
                "max_length": f"Enter {subject} in the 24-hour clock, like 21:30",
            },
        )
        self.invalid_message = f"Enter {subject} in the 24-hour clock, like 21:30"
        super().__init__(**kwargs)

    def clean(self, value: Any) -> datetime.time | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        match = TIME_PATTERN.match(text.strip())
        if not match or int(match["hour"]) > 23 or int(match["minute"]) > 59:
            raise ValidationError(self.invalid_message, code="invalid")
        return datetime.time(int(match["hour"]), int(match["minute"]))


def london_moment(day: datetime.date, time: datetime.time) -> datetime.datetime | None:
    """The aware moment for a London wall-clock time; None when the clocks skipped it.

    In the autumn hour that happens twice the first (summer time) one is meant.
    """
    moment = datetime.datetime.combine(day, time, tzinfo=LONDON)
    round_trip = moment.astimezone(datetime.UTC).astimezone(LONDON)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    # In UTC, so comparisons and arithmetic count elapsed time, not wall-clock time.
    return moment.astimezone(datetime.UTC)


def moment_initial(moment: datetime.datetime | None, date_name: str, time_name: str) -> dict:
    """Initial values of a date + time pair for a stored moment, in London time."""
    if moment is None:
        return {}
    local = moment.astimezone(LONDON)
    return {date_name: local.date(), time_name: local.strftime("%H:%M")}


class OptionalLabelsMixin:
    """GOV.UK marks the optional questions, with "(optional)" after the label."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if not field.required and field.label and not field.widget.is_hidden:
                field.label = f"{field.label} (optional)"


class MomentsMixin:
    """Combine date + time fields into moments, with an error at the field to fix."""

    def moment(
        self, date_name: str, time_name: str, *, what: str, required: bool = True
    ) -> datetime.datetime | None:
        data = self.cleaned_data  # type: ignore[attr-defined]
        day, time = data.get(date_name), data.get(time_name)
        if date_name in self.errors or time_name in self.errors:  # type: ignore[attr-defined]
            return None
        if day is None and time is None:
            if required:
                self.add_error(date_name, f"Enter the date {what}")  # type: ignore[attr-defined]
            return None
        if day is None:
            self.add_error(date_name, f"Enter the date {what}")  # type: ignore[attr-defined]
            return None
        if time is None:
            self.add_error(time_name, f"Enter the time {what}")  # type: ignore[attr-defined]
            return None
        moment = london_moment(day, time)
        if moment is None:
            message = "Enter a time that existed on that day: the clocks went forward at 1am"
            self.add_error(time_name, message)  # type: ignore[attr-defined]
        elif moment > timezone.now():
            self.add_error(date_name, f"The date and time {what} must be in the past")  # type: ignore[attr-defined]
            return None
        return moment

    def after(
        self, later: datetime.datetime | None, earlier: datetime.datetime | None, **names: str
    ) -> None:
        """Add the error when `later` comes before `earlier` (both may be missing)."""
        if later is None or earlier is None or later >= earlier:
            return
        same_day = later.astimezone(LONDON).date() == earlier.astimezone(LONDON).date()
        if same_day:
            self.add_error(names["time_name"], names["time_message"])  # type: ignore[attr-defined]
        else:
            self.add_error(names["date_name"], names["date_message"])  # type: ignore[attr-defined]
