"""Forms for missing episodes, returns, return home interviews and the missing-team view.

Moments (went missing, returned, interviewed) are a date and a time: see forms.moments.
"""

import datetime
from typing import Any

from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms
from django.utils.http import urlencode

from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.codes import (
    ExploitationIndicator,
    ExploitationType,
    MissingKind,
    PoliceRisk,
    ReferralSource,
    RhiOffered,
)
from referrals.forms.moments import (  # noqa: F401 - other areas' forms import these from here
    LondonDateField,
    MomentsMixin,
    OptionalLabelsMixin,
    TimeOfDayField,
    london_moment,
    moment_initial,
)
from referrals.permissions.missing import rhi_owner_candidates
from referrals.services.missing import INTERVIEW_FIELDS

TEXT_MAX = 5000


def _text(label: str, *, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {TEXT_MAX} characters or fewer"},
    )


def _returned_fields(*, required: bool) -> tuple[LondonDateField, TimeOfDayField]:
    hint = "" if required else "Leave blank if they are still missing. "
    return (
        LondonDateField(
            subject="the date they returned",
            label="Date they returned",
            required=required,
            help_text=f"{hint}For example, 27 3 2026",
        ),
        TimeOfDayField(
            subject="the time they returned", label="Time they returned", required=required
        ),
    )


RETURN_BEFORE_START = {
    "date_name": "returned_on",
    "date_message": ("The date of return must be the same as or after the date they went missing"),
    "time_name": "returned_time",
    "time_message": "The time they returned must be after the time they went missing",
}


class MissingEpisodeForm(OptionalLabelsMixin, MomentsMixin, GDSForm):
    submit_label = "Save the episode"

    kind = forms.ChoiceField(
        label="Was the child missing or away without authorisation?",
        choices=MissingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child was missing or away"},
    )
    started_on = LondonDateField(
        subject="the date they went missing",
        label="Date they went missing",
        help_text=(
            "When the child left or was last seen by a responsible adult, whichever is later. "
            "For example, 27 3 2026"
        ),
    )
    started_time = TimeOfDayField(
        subject="the time they went missing", label="Time they went missing"
    )
    police_risk = forms.ChoiceField(
        label="Police risk grading",
        help_text="Leave blank if the police have not graded the report yet",
        choices=PoliceRisk.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    returned_on, returned_time = _returned_fields(required=False)
    where_found = _text("Where were they found?")
    rhi_owner = forms.ModelChoiceField(
        queryset=rhi_owner_candidates(),
        label="Who will arrange the return home interview?",
        help_text="They get the reminders while the interview is due",
        empty_label="Select a person",
        error_messages={
            "required": "Select who will arrange the return home interview",
            "invalid_choice": "Select who will arrange the return home interview",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("kind", legend_size="m"),
            HTML.heading("h2", "m", "When they went missing"),
            "started_on",
            Field.text("started_time", field_width=5),
            Field.radios("police_risk", legend_size="m"),
            HTML.heading("h2", "m", "If they have come back"),
            "returned_on",
            Field.text("returned_time", field_width=5),
            "where_found",
            HTML.heading("h2", "m", "The return home interview"),
            "rhi_owner",
        )

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned answers as `missing_episode_create` takes them."""
        data = self.cleaned_data
        names = ("kind", "started_at", "ended_at", "police_risk", "where_found", "rhi_owner")
        return {name: data[name] for name in names}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["started_at"] = self.moment("started_on", "started_time", what="they went missing")
        data["ended_at"] = self.moment(
            "returned_on", "returned_time", what="they returned", required=False
        )
        self.after(data["ended_at"], data["started_at"], **RETURN_BEFORE_START)
        return data


class MissingReturnForm(OptionalLabelsMixin, MomentsMixin, GDSForm):
    submit_label = "Save the return"

    returned_on, returned_time = _returned_fields(required=True)
    where_found = _text("Where were they found?")
    version = VersionField()

    def __init__(self, *args: Any, started_at: datetime.datetime, **kwargs: Any) -> None:
        self.started_at = started_at
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "returned_on", Field.text("returned_time", field_width=5), "where_found", "version"
        )

    @staticmethod
    def initial_for(episode: Any) -> dict[str, Any]:
        return {
            **moment_initial(episode.ended_at, "returned_on", "returned_time"),
            "where_found": episode.where_found,
            "version": episode.version,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["ended_at"] = self.moment("returned_on", "returned_time", what="they returned")
        self.after(data["ended_at"], self.started_at, **RETURN_BEFORE_START)
        return data


ACCEPTED_CHOICES = [
    ("yes", "Yes, they accepted"),
    ("no", "No, they declined"),
    ("unknown", "Not answered yet"),
]
ACCEPTED_VALUES = {"yes": True, "no": False, "unknown": None}
INTERVIEW_TEXT_FIELDS = (
    "push_factors", "pull_factors", "where_went", "who_with", "how_travelled", "harm",
    "child_words", "onward_actions",
)  # fmt: skip


class ReturnInterviewForm(OptionalLabelsMixin, MomentsMixin, GDSForm):
    submit_label = "Save the interview"

    rhi_offered = forms.ChoiceField(
        label="Was the child offered a return home interview?",
        choices=RhiOffered.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child was offered an interview"},
    )
    rhi_accepted = forms.ChoiceField(
        label="Did the child accept the interview?",
        choices=ACCEPTED_CHOICES,
        widget=forms.RadioSelect,
        initial="unknown",
        error_messages={"required": "Select whether the child accepted the interview"},
    )
    rhi_declined_note = _text(
        "If they declined, what did the child or their carer say?",
        help_text="Write down what was said, in their words where you can",
    )
    completed_on = LondonDateField(
        subject="the date of the interview",
        label="Date of the interview",
        required=False,
        help_text="Leave blank until the interview has taken place. For example, 27 3 2026",
    )
    completed_time = TimeOfDayField(
        subject="the time of the interview", label="Time of the interview", required=False
    )
    interviewer = forms.ModelChoiceField(
        queryset=rhi_owner_candidates(),
        label="Who did the interview?",
        help_text="If they are not listed, enter their name below",
        required=False,
        empty_label="Someone not listed",
        error_messages={"invalid_choice": "Select who did the interview"},
    )
    interviewer_name = forms.CharField(label="Interviewer's name", required=False, max_length=150)
    interviewer_role = forms.CharField(label="Their role", required=False, max_length=100)
    interviewer_agency = forms.CharField(label="Their agency", required=False, max_length=100)
    push_factors = _text("Push factors", help_text="What made them leave")
    pull_factors = _text("Pull factors", help_text="What drew them away")
    where_went = _text("Where did they go?")
    who_with = _text("Who were they with?")
    how_travelled = _text("How did they travel?")
    harm = _text("Did they come to any harm?")
    child_words = _text("The child's own words", rows=5)
    exploitation_indicators = forms.MultipleChoiceField(
        label="Exploitation indicators",
        help_text="Select all that the interview showed. Any one of them is a positive CRE screen.",
        choices=ExploitationIndicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    onward_actions = _text("Onward actions", help_text="Referrals made and who will do what next")
    version = VersionField()
    interview_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args: Any, ended_at: datetime.datetime, **kwargs: Any) -> None:
        self.ended_at = ended_at
        super().__init__(*args, **kwargs)
        # Someone who has since left stays selectable on the interview they did.
        chosen = self.initial.get("interviewer")
        self.fields["interviewer"].queryset = rhi_owner_candidates(including=chosen)  # type: ignore[attr-defined]
        self.fields["interview_version"].error_messages.update(
            {
                "required": "Reload the page and try again",
                "invalid": "Reload the page and try again",
            }
        )
        self.helper.layout = Layout(
            HTML.heading("h2", "m", "The offer"),
            Field.radios("rhi_offered", legend_size="s"),
            Field.radios("rhi_accepted", legend_size="s"),
            "rhi_declined_note",
            HTML.heading("h2", "m", "The interview"),
            "completed_on",
            Field.text("completed_time", field_width=5),
            "interviewer",
            "interviewer_name",
            "interviewer_role",
            "interviewer_agency",
            HTML.heading("h2", "m", "What happened"),
            *INTERVIEW_TEXT_FIELDS[:6],
            HTML.heading("h2", "m", "The CRE screen and next steps"),
            "child_words",
            Field.checkboxes("exploitation_indicators", legend_size="s", small=True),
            "onward_actions",
            "version",
            "interview_version",
        )

    @staticmethod
    def initial_for(episode: Any) -> dict[str, Any]:
        interview = getattr(episode, "return_interview", None)
        accepted = {True: "yes", False: "no", None: "unknown"}[episode.rhi_accepted]
        initial = {
            "rhi_offered": episode.rhi_offered,
            "rhi_accepted": accepted,
            "rhi_declined_note": episode.rhi_declined_note,
            "interviewer": episode.rhi_owner_id,
            "version": episode.version,
            "interview_version": 0,
        }
        if interview is None:
            return initial
        return {
            **initial,
            **{name: getattr(interview, name) for name in INTERVIEW_FIELDS},
            **moment_initial(interview.completed_at, "completed_on", "completed_time"),
            "interviewer": interview.interviewer_id,
            "interview_version": interview.version,
        }

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned answers as `return_interview_save` takes them."""
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "interview_version": data["interview_version"],
            "offered": data["rhi_offered"],
            "accepted": ACCEPTED_VALUES[data["rhi_accepted"]],
            "declined_note": data["rhi_declined_note"],
            "completed_at": data["completed_at"],
            "record": {name: data.get(name) for name in INTERVIEW_FIELDS},
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["completed_at"] = self.moment(
            "completed_on", "completed_time", what="of the interview", required=False
        )
        self.after(
            data["completed_at"],
            self.ended_at,
            date_name="completed_on",
            date_message=(
                "The date of the interview must be the same as or after the date they returned"
            ),
            time_name="completed_time",
            time_message="The time of the interview must be after the time they returned",
        )
        self._check_answers_agree(data)
        return data

    def _check_answers_agree(self, data: dict[str, Any]) -> None:
        offered, accepted = data.get("rhi_offered"), data.get("rhi_accepted")
        if offered and offered != RhiOffered.YES and accepted in ("yes", "no"):
            self.add_error("rhi_accepted", "Select 'Not answered yet' if no interview was offered")
        if accepted == "no" and not data.get("rhi_declined_note", "").strip():
            self.add_error(
                "rhi_declined_note", "Enter what the child or their carer said when they declined"
            )
        if data.get("completed_at") and accepted != "yes":
            self.add_error("rhi_accepted", "Select 'Yes' if the interview has taken place")
        has_interviewer = data.get("interviewer") or data.get("interviewer_name", "").strip()
        if data.get("completed_at") and not has_interviewer:
            self.add_error("interviewer", "Select who did the interview or enter their name")


class InterviewReferralForm(GDSForm):
    submit_label = "Start a CRE referral"

    exploitation_type = forms.ChoiceField(
        label="What kind of exploitation is suspected?",
        choices=ExploitationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the exploitation type"},
    )
    source = forms.ChoiceField(
        label="Referral source",
        help_text="The CIN census code for who is referring",
        choices=ReferralSource.choices,
        initial=ReferralSource.LA_CSC,
        error_messages={"required": "Select the referral source"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("exploitation_type", legend_size="s"), "source")


class MissingDashboardFilterForm(GDSForm):
    """The missing-team view's filters; anything unexpected falls back to the defaults."""

    submit_label = "Apply filters"

    show = forms.ChoiceField(
        label="Show interviews",
        choices=[("all", "Everyone's"), ("mine", "Mine")],
        widget=forms.RadioSelect,
        required=False,
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("show", legend_size="s", small=True, inline=True),
            Field.checkbox("overdue", small=True),
        )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"mine": data.get("show") == "mine", "overdue_only": bool(data.get("overdue"))}

    def query_string(self) -> str:
        """The filters for the pagination links, from the validated values only."""
        options = self.filters()
        query = {"show": "mine" if options["mine"] else "all"}
        if options["overdue_only"]:
            query["overdue"] = "1"
        return urlencode(query)
