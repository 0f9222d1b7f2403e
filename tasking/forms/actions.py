"""Forms for tasking actions and escalations.

Field names match the keyword arguments of tasking/services/actions.py and escalations.py.
The choices offered come from the meeting's agenda and the user's scoped actions, so a form
never lists something its user may not see (covert actions in particular).
"""

from typing import Any, cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.db.models import QuerySet

from cre_portal.accounts.models import Agency
from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.forms.moments import LondonDateField
from tasking.models import Action, Tactic
from tasking.services.actions import TACTIC_EXAMPLES
from tasking.services.agenda import subject_label

TEXT_MAX = 5000
NATURE_HINTS: dict[str, str] = {
    Action.Nature.IMMEDIATE: "Seen by the group's members; goes on the child's chronology.",
    Action.Nature.COVERT: (
        "Sealed: only the chair and members with covert clearance will know it exists. "
        "It never appears on agendas, papers or the child's chronology."
    ),
}


def _text(label: str, *, required: bool, rows: int = 4, required_message: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {TEXT_MAX:,} characters or fewer",
        },
    )


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.child_ref


class SubjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return subject_label(obj)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def _tactic_help() -> str:
    examples = "; ".join(f"{Tactic(k).label}: {', '.join(v)}" for k, v in TACTIC_EXAMPLES.items())
    return f"The order, notice or request, for example. {examples}."


class ActionForm(GDSForm):
    submit_label = "Add action"

    child = ChildChoiceField(
        label="Which child is it about? (optional)",
        queryset=Action.objects.none(),
        required=False,
        empty_label="Not about one child",
        error_messages={"invalid_choice": "Select a child on this meeting's agenda"},
    )
    subject = SubjectChoiceField(
        label="Which subject of concern is it about? (optional)",
        queryset=Action.objects.none(),
        required=False,
        empty_label="Not about one subject",
        error_messages={"invalid_choice": "Select a subject on this meeting's agenda"},
    )
    description = _text("What needs to be done?", required=True)
    tactic = forms.ChoiceField(
        label="Disruption tactic",
        choices=Tactic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the disruption tactic"},
    )
    tactic_detail = forms.CharField(
        label="Tactic in detail (optional)",
        max_length=150,
        required=False,
        error_messages={"max_length": "The tactic in detail must be 150 characters or fewer"},
    )
    nature = forms.ChoiceField(
        label="Is the action immediate or covert?",
        choices=Action.Nature.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the action is immediate or covert"},
    )
    owner_agency = forms.ChoiceField(
        label="Which agency owns the action?",
        choices=[("", "Select the agency"), *Agency.choices],
        error_messages={"required": "Select the agency that owns the action"},
    )
    owner = UserChoiceField(
        label="Who owns the action? (optional)",
        queryset=Action.objects.none(),
        required=False,
        empty_label="Select the owner",
        error_messages={"invalid_choice": "Select the owner from the list"},
    )
    due_on = LondonDateField(
        subject="the date the action is due", label="Due date", help_text="For example, 27 11 2026"
    )

    def __init__(
        self, *args: Any, children: QuerySet, subjects: QuerySet, people: QuerySet, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("child", children), ("subject", subjects), ("owner", people)):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        self.fields["tactic_detail"].help_text = _tactic_help()
        nature = cast(forms.ChoiceField, self.fields["nature"])
        nature.choices = [
            Choice(v, label, hint=NATURE_HINTS[v]) for v, label in Action.Nature.choices
        ]
        self.helper.layout = Layout(
            Field.select("child"),
            Field.select("subject"),
            "description",
            Field.radios("tactic", legend_size="s"),
            "tactic_detail",
            Field.radios("nature", legend_size="s"),
            Field.select("owner_agency"),
            Field.select("owner"),
            "due_on",
        )


class ActionUpdateForm(GDSForm):
    submit_label = "Save"

    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of the action"},
    )
    outcome = _text("Outcome (optional)", required=False, rows=5)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("status", legend_size="s"), "outcome", Field("version")
        )

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        return {"status": action.status, "outcome": action.outcome, "version": action.version}


class EscalationForm(GDSForm):
    """What to escalate: a child or subject on the agenda, or one of the group's actions."""

    submit_label = "Escalate"

    thing = forms.ChoiceField(
        label="What are you escalating?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you are escalating",
            "invalid_choice": "Select what you are escalating",
        },
    )
    reason = _text(
        "Why are you escalating it?",
        required=True,
        required_message="Enter why you are escalating it",
    )

    def __init__(self, *args: Any, candidates: dict[str, tuple[str, str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        choices = [(key, label) for key, (label, _, _) in candidates.items()]
        cast(forms.ChoiceField, self.fields["thing"]).choices = choices
        self.helper.layout = Layout(Field.radios("thing", legend_size="m"), "reason")

    def service_kwargs(self) -> dict[str, Any]:
        """{"child": child} (or subject, or action) and the reason."""
        _, name, obj = self.candidates[self.cleaned_data["thing"]]
        return {name: obj, "reason": self.cleaned_data["reason"]}


def escalation_candidates(children: QuerySet, subjects: QuerySet, actions: QuerySet) -> dict:
    """Choice key -> (label, service argument, object), by reference only."""
    options: dict[str, tuple[str, str, Any]] = {}
    for child in children:
        options[f"child:{child.pk}"] = (f"Child {child.child_ref}", "child", child)
    for subject in subjects:
        options[f"subject:{subject.pk}"] = (subject_label(subject), "subject", subject)
    for action in actions:
        label = f"Action due {action.due_on:%d/%m/%Y}: {action.get_tactic_display()}"
        options[f"action:{action.pk}"] = (label, "action", action)
    return options


class EscalationDecideForm(GDSForm):
    submit_label = "Record the decision"

    outcome = _text(
        "What was decided?",
        required=True,
        rows=6,
        required_message="Enter the outcome of the escalation",
    )
