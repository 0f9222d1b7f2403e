"""Forms for meeting feedback: asking for it, answering it, and choosing the summary's period.

Field names match the keyword arguments of risk_assessment/services/feedback.py, so a view passes
`cleaned_data` on and a service's error lands on the field it is about.
"""

import calendar
import datetime
from typing import Any, cast

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from django import forms
from django.utils import timezone

from cre_portal.forms import GDSForm
from cre_portal.timescales import local_date
from referrals.forms.nrm import GovDateField
from referrals.models import Child
from risk_assessment.models import FeedbackLink, FeedbackResponse, ProfessionalsMeeting
from risk_assessment.services.feedback import COMMENTS_MAX, long_date

Kind = FeedbackLink.MeetingKind
Rating = FeedbackResponse.Rating
DATE_EXAMPLE = "For example, 27 11 2026."
SUMMARY_MONTHS = 6


class MediumConditionalRadios(ConditionalRadios):
    """Conditional radios whose legend is sized like the other questions on the page."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        with context.push(legend_size=Size.for_legend(Size.MEDIUM)):
            return super().render(form, context, template_pack, **kwargs)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProfessionalsMeeting) -> str:
        return f"{long_date(local_date(obj.scheduled_for))} ({obj.get_status_display().lower()})"


class FeedbackLinkForm(GDSForm):
    submit_label = "Create feedback link"

    meeting_kind = forms.ChoiceField(
        label="What kind of meeting was it?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of meeting"},
    )
    meeting = MeetingChoiceField(
        queryset=ProfessionalsMeeting.objects.none(),
        label="Which professionals' meeting?",
        required=False,
        empty_label="Select a meeting",
        error_messages={"invalid_choice": "Select one of this child's professionals' meetings"},
    )
    meeting_on = GovDateField(
        label="Date of the meeting",
        what="the date of the meeting",
        required=False,
        help_text=f"{DATE_EXAMPLE} For a professionals' meeting you can leave this blank.",
    )
    respondent = forms.ChoiceField(
        label="Who is the feedback from?",
        choices=FeedbackLink.Respondent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the feedback is from"},
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Meetings that have taken place (or should have): feedback comes after the meeting.
        meetings = child.meetings.exclude(status=ProfessionalsMeeting.Status.CANCELLED).filter(
            scheduled_for__lte=timezone.now()
        )
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = meetings
        kinds: list[Any] = [label for _value, label in Kind.choices]
        if meetings.exists():
            kinds[-1] = ConditionalQuestion(Kind.PROFESSIONALS.label, "meeting")
        else:
            # Nothing to pick: offer the other three kinds only.
            cast(forms.ChoiceField, self.fields["meeting_kind"]).choices = Kind.choices[:-1]
            kinds = kinds[:-1]
        self.helper.layout = Layout(
            MediumConditionalRadios("meeting_kind", *kinds),
            "meeting_on",
            Field.radios("respondent", legend_size=Size.MEDIUM),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("meeting_kind") == Kind.PROFESSIONALS:
            if data.get("meeting") is None and "meeting" not in self.errors:
                self.add_error("meeting", "Select the professionals' meeting")
            return data
        # The list sits in the hidden part of the page and is sent whatever kind was chosen.
        data["meeting"] = None
        # Whether a date is needed depends on the kind, so only ask once a kind is chosen.
        kind_chosen = data.get("meeting_kind")
        if kind_chosen and data.get("meeting_on") is None and "meeting_on" not in self.errors:
            self.add_error("meeting_on", "Enter the date of the meeting")
        return data


class RatingField(forms.TypedChoiceField):
    def __init__(self, *, label: str, missing: str) -> None:
        super().__init__(
            label=label,
            choices=Rating.choices,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": missing, "invalid_choice": missing},
        )


class FeedbackResponseForm(GDSForm):
    """The public form: plain words, for young people from about 10 as well as adults."""

    submit_label = "Send my answers"

    listened_to = RatingField(
        label="Did you feel listened to?", missing="Select how much you felt listened to"
    )
    understood = RatingField(
        label="Did you understand what was talked about?",
        missing="Select how much you understood what was talked about",
    )
    helped = RatingField(
        label="Did the meeting help?", missing="Select how much the meeting helped"
    )
    comments = forms.CharField(
        label="Is there anything else you want to tell us? (optional)",
        help_text="For example, what went well or what could have been better.",
        required=False,
        max_length=COMMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Your answer must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("listened_to", legend_size=Size.MEDIUM),
            Field.radios("understood", legend_size=Size.MEDIUM),
            Field.radios("helped", legend_size=Size.MEDIUM),
            Field.textarea("comments", label_size=Size.MEDIUM),
        )


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier, or the last day of a shorter month (31 Aug -> 28 Feb)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last six months, to today."""
    today = today or timezone.localdate()
    return months_before(today, SUMMARY_MONTHS), today


class FeedbackPeriodForm(GDSForm):
    """The summary's filters, read from the query string (so a summary can be bookmarked)."""

    submit_label = "Show feedback"

    start = GovDateField(label="From", what="the start date", help_text=DATE_EXAMPLE)
    end = GovDateField(label="To", what="the end date", help_text=DATE_EXAMPLE)
    meeting_kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=[("", "All meetings"), *Kind.choices],
        required=False,
        error_messages={"invalid_choice": "Select a kind of meeting from the list"},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data
