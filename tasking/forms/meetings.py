"""Forms for tasking meetings: planning, the chair's agenda edits, attendance and minutes.

Field names match the keyword arguments of tasking/services/meetings.py and agenda.py, so a view
passes the cleaned answers straight on and a service's error lands on the field it is about.
"""

from typing import Any, cast

from crispy_forms_gds.layout import Field, Layout
from django import forms

from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.forms.moments import LondonDateField, TimeOfDayField, london_moment, moment_initial
from tasking.models import AgendaItem, TaskingMeeting

TEXT_MAX = 10000
YES_NO = [("yes", "Yes"), ("no", "No")]


class MeetingForm(GDSForm):
    submit_label = "Plan meeting"

    scheduled_on = LondonDateField(
        subject="the date of the meeting",
        label="Date of the meeting",
        help_text="For example, 27 11 2026",
    )
    scheduled_time = TimeOfDayField(subject="the time of the meeting", label="Time it starts")
    location = forms.CharField(
        label="Where will the meeting be held?",
        help_text="For example, Room 2, County Hall, or a video call",
        max_length=200,
        error_messages={
            "required": "Enter where the meeting will be held",
            "max_length": "Where the meeting will be held must be 200 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "scheduled_on",
            Field.text("scheduled_time", field_width=5),
            "location",
            *([Field("version")] if "version" in self.fields else []),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("scheduled_on"), data.get("scheduled_time")
        if day is None or time is None:
            return data
        moment = london_moment(day, time)
        if moment is None:
            message = "Enter a time that existed on that day: the clocks went forward at 1am"
            self.add_error("scheduled_time", message)
        data["scheduled_for"] = moment
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("scheduled_for", "location")}


class MeetingEditForm(MeetingForm):
    submit_label = "Save changes"
    version = VersionField()

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "version": self.cleaned_data["version"]}

    @staticmethod
    def initial_for(meeting: TaskingMeeting) -> dict[str, Any]:
        return {
            **moment_initial(meeting.scheduled_for, "scheduled_on", "scheduled_time"),
            "location": meeting.location,
            "version": meeting.version,
        }


def _title_field() -> forms.CharField:
    return forms.CharField(
        label="Title",
        help_text="Use case references and codes, not names: the agenda goes to every member.",
        max_length=200,
        error_messages={
            "required": "Enter the title of the item",
            "max_length": "The title must be 200 characters or fewer",
        },
    )


class AgendaItemAddForm(GDSForm):
    submit_label = "Add item"
    title = _title_field()


class AgendaItemForm(GDSForm):
    submit_label = "Save item"

    title = _title_field()
    is_included = forms.TypedChoiceField(
        label="Include this item on the agenda?",
        choices=YES_NO,
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to include the item"},
    )
    number = forms.IntegerField(
        label="Position on the agenda",
        help_text="1 is the first item.",
        min_value=1,
        error_messages={
            "required": "Enter the position on the agenda",
            "invalid": "The position must be a whole number, like 3",
            "min_value": "The position must be 1 or more",
        },
    )
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "title",
            Field.radios("is_included", inline=True, legend_size="s"),
            Field.text("number", field_width=3),
            Field("version"),
        )

    @staticmethod
    def initial_for(item: AgendaItem, number: int) -> dict[str, Any]:
        return {
            "title": item.title,
            "is_included": "yes" if item.is_included else "no",
            "number": number,
            "version": item.meeting.version,
        }


class MinutesForm(GDSForm):
    submit_label = "Save minutes"

    minutes = forms.CharField(
        label="Minutes",
        help_text="What was discussed and decided. Record actions separately.",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": f"Minutes must be {TEXT_MAX:,} characters or fewer"},
    )


class AttendanceForm(GDSForm):
    submit_label = "Save attendance"

    attended = forms.MultipleChoiceField(
        label="Who attended?",
        help_text="Select all that apply. Everyone else is recorded as not attending.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["attended"])
        field.choices = [(str(person.pk), person.display_name) for person in people]
        self.helper.layout = Layout(Field.checkboxes("attended", legend_size="m"))
