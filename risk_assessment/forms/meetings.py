"""Forms for professionals' meetings: booking, attendees, recording, cancelling and actions.

Field names match the keyword arguments of risk_assessment/services/meetings.py, so a view
passes the cleaned answers straight on and a service's error lands on the field it is about.
"""

from typing import Any, cast

from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms

from cre_portal.accounts.models import User
from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.codes import RiskLevel
from referrals.forms.missing import (
    LondonDateField,
    TimeOfDayField,
    london_moment,
    moment_initial,
)
from risk_assessment.models import ProfessionalsMeeting
from risk_assessment.permissions.meetings import eligible_chairs
from risk_assessment.services.meetings import CancelReason

YES_NO = [("yes", "Yes"), ("no", "No")]
TEXT_MAX = 10000
CHAIR_HINTS: dict[str, str] = {
    RiskLevel.HIGH.value: (
        "The child is at high risk, so a child protection manager must chair the meeting."
    ),
    RiskLevel.MEDIUM.value: (
        "The child is at medium risk, so a service manager must chair the meeting."
    ),
}
LOW_CHAIR_HINT = "The child is at low risk: anyone who can book meetings may chair it."


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def active_users() -> Any:
    return User.objects.filter(is_active=True).order_by("full_name", "email")


def yes_no(label: str, *, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


def as_yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def text_area(label: str, *, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {TEXT_MAX:,} characters or fewer"},
    )


# --- Booking ------------------------------------------------------------------------------------
class MeetingBookForm(GDSForm):
    submit_label = "Book meeting"

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
    # Any user who may book meetings passes the form, so that a chair the level does not allow
    # reaches the service and gets its clear message; only eligible chairs are listed.
    chair = UserChoiceField(
        label="Who will chair the meeting?",
        queryset=eligible_chairs(RiskLevel.LOW),
        error_messages={
            "required": "Select who will chair the meeting",
            "invalid_choice": "Select who will chair the meeting",
        },
    )
    child_invited = yes_no(
        "Has the child been invited?", required_message="Select whether the child was invited"
    )
    parents_invited = yes_no(
        "Have the parents or carers been invited?",
        required_message="Select whether the parents or carers were invited",
    )

    def __init__(self, *args: Any, level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chair = cast(forms.ModelChoiceField, self.fields["chair"])
        chair.queryset = eligible_chairs(RiskLevel.LOW)
        listed = [(user.pk, user.display_name) for user in eligible_chairs(level)]
        chair.widget.choices = [("", "Select the chair"), *listed]
        chair.help_text = CHAIR_HINTS.get(level, LOW_CHAIR_HINT)
        self.helper.layout = Layout(
            "scheduled_on",
            Field.text("scheduled_time", field_width=5),
            "location",
            Field.select("chair"),
            Field.radios("child_invited", inline=True),
            Field.radios("parents_invited", inline=True),
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
        """The answers as `meeting_book` takes them."""
        names = ("scheduled_for", "location", "chair", "child_invited", "parents_invited")
        return {name: self.cleaned_data[name] for name in names}


class MeetingEditForm(MeetingBookForm):
    submit_label = "Save changes"
    version = VersionField()

    def service_kwargs(self) -> dict[str, Any]:
        """The answers as `meeting_update` takes them, with the version the user loaded."""
        return {**super().service_kwargs(), "version": self.cleaned_data["version"]}

    @staticmethod
    def initial_for(meeting: ProfessionalsMeeting) -> dict[str, Any]:
        return {
            **moment_initial(meeting.scheduled_for, "scheduled_on", "scheduled_time"),
            "location": meeting.location,
            "chair": meeting.chair_id,
            "child_invited": as_yes_no(meeting.child_invited),
            "parents_invited": as_yes_no(meeting.parents_invited),
            "version": meeting.version,
        }


class AttendeeForm(GDSForm):
    submit_label = "Add attendee"

    user = UserChoiceField(
        label="A colleague",
        queryset=active_users(),
        required=False,
        empty_label="Select a colleague",
        error_messages={"invalid_choice": "Select a colleague from the list"},
    )
    name = forms.CharField(
        label="Name",
        max_length=150,
        required=False,
        error_messages={"max_length": "Name must be 150 characters or fewer"},
    )
    role = forms.CharField(
        label="Role",
        help_text="For example, designated safeguarding lead",
        max_length=100,
        required=False,
        error_messages={"max_length": "Role must be 100 characters or fewer"},
    )
    agency = forms.CharField(
        label="Agency",
        help_text="For example, Northshire Police or Hillside Academy",
        max_length=100,
        required=False,
        error_messages={"max_length": "Agency must be 100 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = active_users()
        self.helper.inputs = []
        self.helper.layout = Layout(
            HTML.heading("h2", "m", "A colleague who uses this service"),
            Field.select("user"),
            HTML.heading("h2", "m", "Or someone from another agency"),
            "name",
            "role",
            "agency",
        )


# --- Recording and cancelling -------------------------------------------------------------------
class MeetingRecordForm(GDSForm):
    submit_label = "Save the record of the meeting"

    child_attended = yes_no(
        "Did the child attend?", required_message="Select whether the child attended"
    )
    parents_attended = yes_no(
        "Did the parents or carers attend?",
        required_message="Select whether the parents or carers attended",
    )
    attended = forms.MultipleChoiceField(
        label="Which invited professionals attended?",
        help_text="Select all that apply.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    child_views = text_area(
        "The child's views",
        help_text="In the child's own words where you can. If their views could not be obtained, "
        "leave this blank and say why below.",
        rows=6,
    )
    child_views_not_obtained = text_area(
        "Why the child's views could not be obtained",
        help_text="Only if the child's views are not recorded above.",
        rows=3,
    )
    decisions = text_area("Decisions")
    minutes = text_area("Minutes", rows=10)
    version = VersionField()

    def __init__(self, *args: Any, meeting: ProfessionalsMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attendees = [(str(a.pk), attendee_label(a)) for a in meeting.attendees.all()]
        cast(forms.MultipleChoiceField, self.fields["attended"]).choices = attendees
        if not attendees:
            del self.fields["attended"]
        self.helper.layout = Layout(
            HTML.heading("h2", "m", "Who attended"),
            Field.radios("child_attended", inline=True),
            Field.radios("parents_attended", inline=True),
            *([Field.checkboxes("attended", small=True)] if attendees else []),
            HTML.heading("h2", "m", "The child's voice"),
            "child_views",
            "child_views_not_obtained",
            HTML.heading("h2", "m", "Decisions and minutes"),
            "decisions",
            "minutes",
            Field("version"),
        )

    @staticmethod
    def initial_for(meeting: ProfessionalsMeeting) -> dict[str, Any]:
        attended = [str(a.pk) for a in meeting.attendees.all() if a.attended]
        return {
            "child_attended": as_yes_no(meeting.child_attended),
            "parents_attended": as_yes_no(meeting.parents_attended),
            "attended": attended,
            "child_views": meeting.child_views,
            "child_views_not_obtained": meeting.child_views_not_obtained,
            "decisions": meeting.decisions,
            "minutes": meeting.minutes,
            "version": meeting.version,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["attended"] = [int(pk) for pk in data.get("attended", [])]
        return data


def attendee_label(attendee: Any) -> str:
    """A colleague's name, or an outside person's name, role and agency."""
    if attendee.user_id:
        return attendee.user.display_name
    return ", ".join(part for part in (attendee.name, attendee.role, attendee.agency) if part)


class MeetingCancelForm(GDSForm):
    submit_label = "Cancel the meeting"

    reason = forms.ChoiceField(
        label="Why is the meeting cancelled?",
        choices=CancelReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the meeting is cancelled"},
    )
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("reason", legend_size="m"), Field("version"))


# --- Actions ------------------------------------------------------------------------------------
class ActionForm(GDSForm):
    submit_label = "Add action"

    description = forms.CharField(
        label="What needs to be done?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter what needs to be done",
            "max_length": "What needs to be done must be 2,000 characters or fewer",
        },
    )
    owner = UserChoiceField(
        label="Who owns the action?",
        queryset=active_users(),
        required=False,
        empty_label="Select the owner",
        error_messages={"invalid_choice": "Select the owner from the list"},
    )
    owner_name = forms.CharField(
        label="Or the name of someone from another agency",
        help_text="Their name and agency, for example Sam Patel, Northshire Police",
        max_length=150,
        required=False,
        error_messages={"max_length": "The owner's name must be 150 characters or fewer"},
    )
    due_on = LondonDateField(
        subject="the date the action is due",
        label="Due date",
        help_text="For example, 27 11 2026",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = active_users()
