"""Forms for setting up tasking groups and their members."""

from typing import Any

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.forms import GDSForm
from referrals.forms.children import PlainTextField
from referrals.forms.moments import LondonDateField, OptionalLabelsMixin
from tasking.models import TaskingGroup, Tier
from tasking.permissions.groups import chair_candidates, member_candidates

YES_NO = [("yes", "Yes"), ("no", "No")]


class PersonChoiceField(forms.ModelChoiceField):
    """People are shown with their team, or their agency when they are not in a council team."""

    def label_from_instance(self, obj: User) -> str:
        where = obj.team.name if obj.team else obj.get_agency_display()
        return f"{obj.display_name} ({where})"


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TaskingGroup) -> str:
        return f"{obj.name} ({obj.get_tier_display().lower()})"


class GroupForm(OptionalLabelsMixin, GDSForm):
    """A group's details; the service checks the chair's role and the tier it escalates to."""

    submit_label = "Save the group"
    name = PlainTextField(
        label="Name of the group",
        max_length=120,
        error_messages={
            "required": "Enter the name of the group",
            "max_length": "Name must be 120 characters or fewer",
        },
    )
    tier = forms.ChoiceField(
        label="Tier",
        choices=Tier.choices,
        widget=forms.RadioSelect,
        help_text="Operational groups are child-focused; strategic and governance groups take "
        "what the tier below escalates.",
        error_messages={"required": "Select the tier"},
    )
    escalates_to = GroupChoiceField(
        label="Group it escalates to",
        help_text="One tier up: operational groups escalate to a strategic group, strategic "
        "groups to a governance group. Leave blank for a governance group.",
        queryset=TaskingGroup.objects.none(),
        required=False,
        empty_label="None (governance group)",
        error_messages={"invalid_choice": "Select a group that is still active"},
    )
    chair = PersonChoiceField(
        label="Chair",
        help_text="Only people with the tasking chair role can chair a group.",
        queryset=User.objects.none(),
        empty_label="Select the chair",
        error_messages={
            "required": "Select the chair",
            "invalid_choice": "Select someone who holds the tasking chair role",
        },
    )
    cadence_days = forms.IntegerField(
        label="How often does it meet, in days?",
        help_text="For example, 14 for a fortnightly group",
        min_value=1,
        max_value=365,
        error_messages={
            "required": "Enter how often the group meets, in days",
            "invalid": "Enter how often the group meets as a number of days, like 14",
            "min_value": "The group must meet at least once a year: enter 1 to 365 days",
            "max_value": "The group must meet at least once a year: enter 1 to 365 days",
        },
    )
    description = PlainTextField(
        label="What the group covers",
        multiline=True,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Description must be 2000 characters or fewer"},
    )

    def __init__(self, *args: Any, group: TaskingGroup | None = None, **kwargs: Any) -> None:
        if group is not None:
            kwargs["initial"] = {**_initial(group), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        others = TaskingGroup.objects.filter(is_active=True).exclude(tier=Tier.OPERATIONAL)
        if group is not None:
            others = others.exclude(pk=group.pk)
            self.fields["is_active"] = forms.ChoiceField(
                label="Is the group still meeting?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": "Select yes if the group is still meeting"},
            )
        self.fields["escalates_to"].queryset = others  # type: ignore[attr-defined]
        # Not optional: only a governance group leaves it blank (the hint says so).
        self.fields["escalates_to"].label = "Group it escalates to"
        self.fields["chair"].queryset = chair_candidates()  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("tier", legend_size="s"),
            Field.select("escalates_to"),
            Field.select("chair"),
            Field.text("cadence_days", field_width=3),
            Field.textarea("description", rows=3),
            *([Field.radios("is_active", inline=True, legend_size="s")] if group else []),
        )

    def group_fields(self) -> dict[str, Any]:
        """The answers as the services take them."""
        fields = dict(self.cleaned_data)
        if "is_active" in fields:
            fields["is_active"] = fields["is_active"] == "yes"
        return fields


def _initial(group: TaskingGroup) -> dict[str, Any]:
    return {
        "name": group.name,
        "tier": group.tier,
        "escalates_to": group.escalates_to_id,
        "chair": group.chair_id,
        "cadence_days": group.cadence_days,
        "description": group.description,
        "is_active": "yes" if group.is_active else "no",
    }


class ClearanceField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="Do they have covert clearance?",
            help_text="Members with covert clearance see the group's covert actions.",
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={"required": "Select yes if they have covert clearance"},
            **kwargs,
        )


class MemberAddForm(GDSForm):
    submit_label = "Add the member"
    user = PersonChoiceField(
        label="Who is joining?",
        help_text="Members can come from any agency.",
        queryset=User.objects.none(),
        empty_label="Select a person",
        error_messages={
            "required": "Select the person joining the group",
            "invalid_choice": "Select someone who is not already a member",
        },
    )
    has_covert_clearance = ClearanceField()

    def __init__(self, *args: Any, group: TaskingGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = member_candidates(group)  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.select("user"), Field.radios("has_covert_clearance", inline=True)
        )

    def member_fields(self) -> dict[str, Any]:
        return {
            "user": self.cleaned_data["user"],
            "has_covert_clearance": self.cleaned_data["has_covert_clearance"] == "yes",
        }


class ClearanceForm(GDSForm):
    submit_label = "Save"
    has_covert_clearance = ClearanceField()


class MembershipEndForm(GDSForm):
    submit_label = "Remove from the group"
    left_on = LondonDateField(
        subject="the date they left", label="Date they left", help_text="For example, 27 3 2026"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"left_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


def add_service_errors(form: forms.Form, error: Any) -> None:
    """Show what a service refused at the field when the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)
