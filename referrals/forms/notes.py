"""Forms for writing a case note and for filtering a child's chronology."""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from cre_portal.audit.models import CaseEvent
from cre_portal.forms import GDSForm
from cre_portal.timescales import LONDON
from referrals.forms.referrals import GDSDateField

TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$")
NOON = 12
LAST_HOUR = 23
LAST_MINUTE = 59
REAL_TIME = "Enter a real time, for example 14:30 or 2:30pm"


class TimeOfDayField(forms.Field):
    """A time typed as 14:30, 14.30, 2:30pm or 2pm (GOV.UK asks services to accept variants)."""

    widget = forms.TextInput

    def to_python(self, value):
        text = "".join(str(value or "").lower().split())
        if not text:
            return None
        match = TIME_PATTERN.match(text)
        if not match:
            raise ValidationError(REAL_TIME, code="invalid")
        hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
        if half and not 1 <= hour <= NOON:
            raise ValidationError(REAL_TIME, code="invalid")
        if half:
            hour = hour % NOON + (NOON if half == "pm" else 0)
        if hour > LAST_HOUR or minute > LAST_MINUTE:
            raise ValidationError(REAL_TIME, code="invalid")
        return datetime.time(hour, minute)


class CaseNoteForm(GDSForm):
    submit_label = "Save note"

    occurred_on = GDSDateField(
        name="Date of the event",
        label="When did it happen?",
        help_text="For example, 27 3 2025",
    )
    occurred_time = TimeOfDayField(
        label="Time",
        help_text="For example, 14:30 or 2:30pm",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "maxlength": 10}),
        error_messages={"required": "Enter the time it happened"},
    )
    title = forms.CharField(
        label="Title",
        help_text=(
            "A few words, for example Home visit or Strategy discussion. The title is shown on "
            "the chronology: do not put names in it."
        ),
        max_length=120,
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be 120 characters or fewer",
        },
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the note"},
    )
    is_significant = forms.BooleanField(
        label="This is a significant event",
        help_text="Significant events stand out on the chronology and can be shown on their own.",
        required=False,
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        day, time = cleaned.get("occurred_on"), cleaned.get("occurred_time")
        if day is None or time is None:
            return cleaned
        occurred_at = datetime.datetime.combine(day, time, tzinfo=LONDON)
        if occurred_at > timezone.now():
            self.add_error("occurred_time", "The time must be now or in the past")
        cleaned["occurred_at"] = occurred_at
        return cleaned


class ChronologyFilterForm(GDSForm):
    submit_label = "Apply filters"

    category = forms.MultipleChoiceField(
        label="Show",
        choices=CaseEvent.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select categories from the list"},
    )
    significant = forms.BooleanField(label="Significant events only", required=False)
    date_from = GDSDateField(name="Start date", label="From", required=False, past_only=False)
    date_to = GDSDateField(name="End date", label="To", required=False, past_only=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A GET form: a CSRF token would end up in the address bar, history and server logs.
        self.helper.disable_csrf = True

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "End date must be the same as or after the start date")
        return cleaned

    def filter(self, events: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
        """The events matching the valid filters; nothing is filtered while the form has errors."""
        if not self.is_bound or not self.is_valid():
            return events
        data = self.cleaned_data
        if data["category"]:
            events = events.filter(category__in=data["category"])
        if data["significant"]:
            events = events.filter(is_significant=True)
        # __date uses the current time zone (Europe/London), so days are the worker's days.
        if data["date_from"]:
            events = events.filter(occurred_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(occurred_at__date__lte=data["date_to"])
        return events
