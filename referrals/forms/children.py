"""Forms for finding, adding and editing children, and for opening a restricted record."""

import re
from typing import cast

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import (
    HTML,
    Field,
    Layout,
)
from django import forms
from django.core.validators import RegexValidator

from cre_portal.accounts.models import User
from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.codes import (
    ETHNICITY_GROUPS,
    CareStatus,
    Disability,
    Ethnicity,
    LegalStatus,
    PlacementType,
    Sex,
)
from referrals.models import Child
from referrals.permissions.children import (
    allocatable_teams,
    allocatable_workers,
    can_change_child_team,
    can_restrict_child,
)
from referrals.services.child_search import looks_like_date, parse_date
from referrals.services.children import validate_date_of_birth

# Control characters never belong in a name or a search (a NUL once gave a 500 elsewhere).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ALIAS_SEPARATORS = re.compile(r"[;\r\n]+")
MAX_ALIASES = 20
YES_NO = [("yes", "Yes"), ("no", "No")]


class BreakGlassForm(GDSForm):
    submit_label = "Open the record"
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="Your reason is recorded and shown to managers and the data protection officer.",
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you need to open this record",
            "min_length": "Give a reason of at least 10 characters",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )


class PlainTextField(forms.CharField):
    """Text with control characters removed (single-line: line breaks become spaces)."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = CONTROL_CHARACTERS.sub("", super().to_python(value) or "")
        return value.strip() if self.multiline else " ".join(value.split())


def name_field(label: str, what: str) -> PlainTextField:
    return PlainTextField(
        label=label,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the child's {what}",
            "max_length": f"{label} must be 100 characters or fewer",
        },
    )


class DateOfBirthField(DateInputField):
    """GOV.UK date input with the error messages the design system asks for."""

    def __init__(self, **kwargs):
        super().__init__(
            label="Date of birth", help_text="For example, 27 3 2012", require_all_fields=False
        )
        self.error_messages.update(
            required="Enter the child's date of birth", incomplete="Enter the child's date of birth"
        )
        real_date = RegexValidator(r"^[0-9]+$", "Date of birth must be a real date")
        for part, label in zip(self.fields, ("a day", "a month", "a year"), strict=True):
            part.error_messages["incomplete"] = f"Date of birth must include {label}"
            part.validators = [real_date]
        year = self.fields[2]
        year.validators.append(RegexValidator(r"^[0-9]{4}$", "Year must include 4 numbers"))

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError as error:
            raise forms.ValidationError("Date of birth must be a real date") from error

    def validate(self, value):
        super().validate(value)
        if value:
            validate_date_of_birth(value)


# --- Finding a child ----------------------------------------------------------------------------
class ChildSearchForm(forms.Form):
    """The search box of the children list; validated so odd input gives a message, not a 500."""

    q = PlainTextField(
        label="Search by name, case reference or date of birth",
        help_text="For example, Jayden Smith, CRE-000123 or 12/03/2012",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and "q" in data:
            # The box shows what was typed, less anything that cannot be shown.
            data = data.copy()
            data["q"] = CONTROL_CHARACTERS.sub("", data["q"])
        super().__init__(data, **kwargs)

    def clean_q(self):
        term = self.cleaned_data["q"]
        if any(looks_like_date(t) and parse_date(t) is None for t in term.split()):
            raise forms.ValidationError("Enter a real date of birth, for example 12/03/2012")
        return term


# --- Adding a child: step 1 ---------------------------------------------------------------------
class ChildLookupForm(GDSForm):
    """The details the duplicate check needs before a new record is started."""

    first_name = name_field("First name", "first name")
    last_name = name_field("Last name", "last name")
    date_of_birth = DateOfBirthField()


class ConfirmNewChildForm(GDSForm):
    submit_label = "Continue"
    confirm = forms.BooleanField(
        label="I have checked these records and none of them is this child",
        error_messages={"required": "Confirm that none of these records is this child"},
    )


# --- The record ---------------------------------------------------------------------------------
def ethnicity_choices() -> list:
    labels = dict(Ethnicity.choices)
    groups = ETHNICITY_GROUPS.items()
    grouped = [(group, [(code, labels[code]) for code in codes]) for group, codes in groups]
    return [("", "Select ethnicity"), *grouped]


def optional_code_choices(choices, prompt: str) -> list:
    return [("", prompt), *choices]


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.team})" if obj.team else obj.display_name


class ChildRecordForm(GDSForm):
    """Everything about the child apart from name and date of birth (step 2 and edit)."""

    submit_label = "Save"
    known_as = PlainTextField(
        multiline=True,
        required=False,
        label="Other names the child is known by (optional)",
        help_text="Nicknames, street names or previous names. Put each on a new line or "
        "separate them with a semicolon.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        max_length=2000,
        error_messages={"max_length": "Other names must be 2000 characters or fewer"},
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's sex"},
    )
    gender_identity = PlainTextField(
        label="Gender identity (optional)",
        required=False,
        max_length=100,
        error_messages={"max_length": "Gender identity must be 100 characters or fewer"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=ethnicity_choices,
        error_messages={"required": "Select the child's ethnicity"},
    )
    disability = forms.MultipleChoiceField(
        label="Disability (optional)",
        help_text="Select all that apply.",
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    care_status = forms.ChoiceField(
        label="Care status",
        choices=CareStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's care status"},
    )
    legal_status = forms.ChoiceField(
        label="Legal status",
        help_text="For a child placed here by another authority, as they report it.",
        choices=optional_code_choices(LegalStatus.choices, "Select legal status"),
        required=False,
    )
    placement_type = forms.ChoiceField(
        label="Placement type (optional)",
        choices=optional_code_choices(PlacementType.choices, "Not recorded"),
        required=False,
    )
    placed_by_other_authority = forms.ChoiceField(
        label="Was the child placed here by another local authority?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    placing_authority = PlainTextField(
        label="Which local authority placed the child?",
        help_text="Only if another local authority placed the child here.",
        required=False,
        max_length=120,
        error_messages={"max_length": "Local authority must be 120 characters or fewer"},
    )
    allocated_worker = WorkerChoiceField(
        label="Allocated worker",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not allocated",
    )
    is_restricted = forms.BooleanField(
        label="Restrict this record",
        help_text="People who can see the child must give a reason before the record opens. "
        "Their reasons are shown to managers.",
        required=False,
    )

    def __init__(self, *args, actor: User, child: Child | None = None, **kwargs):
        self.actor = actor
        self.child = child
        super().__init__(*args, **kwargs)
        if can_change_child_team(actor, child):
            self.fields["team"] = forms.ModelChoiceField(
                label="Team",
                queryset=allocatable_teams(actor),
                empty_label="Select team",
                error_messages={"required": "Select the child's team"},
            )
        team = child.team if child else actor.team
        workers = allocatable_workers(actor, team)
        if child and child.allocated_worker_id:
            # Keep the current worker selectable even if they could not be chosen today.
            workers = workers | User.objects.filter(pk=child.allocated_worker_id)
        worker_field = cast(forms.ModelChoiceField, self.fields["allocated_worker"])
        worker_field.queryset = workers.distinct()
        if not can_restrict_child(actor, child):
            del self.fields["is_restricted"]
        self.helper.layout = self.record_layout()

    def record_layout(self) -> Layout:
        return Layout(
            HTML('<h2 class="govuk-heading-m">About the child</h2>'),
            *self.identity_fields(),
            Field.textarea("known_as"),
            Field.radios("sex", inline=True),
            Field.text("gender_identity", field_width=20),
            Field.select("ethnicity"),
            Field.checkboxes("disability", small=True),
            HTML('<h2 class="govuk-heading-m">Care</h2>'),
            Field.radios("care_status"),
            HTML('<h3 class="govuk-heading-s">If the child is looked after</h3>'),
            Field.select("legal_status"),
            Field.select("placement_type"),
            # Not a conditional reveal: GOV.UK Frontend puts aria-expanded on the radio, which
            # axe reports as invalid ARIA (alphagov/govuk-frontend#979).
            Field.radios("placed_by_other_authority", inline=True),
            Field.text("placing_authority"),
            HTML('<h2 class="govuk-heading-m">Allocation</h2>'),
            *[Field.select(name) for name in ("team", "allocated_worker") if name in self.fields],
            *([Field.checkbox("is_restricted")] if "is_restricted" in self.fields else []),
            *([Field("version")] if "version" in self.fields else []),
        )

    def identity_fields(self) -> list:
        return []

    def clean_known_as(self):
        names = [n.strip() for n in ALIAS_SEPARATORS.split(self.cleaned_data["known_as"])]
        names = list(dict.fromkeys(n for n in names if n))
        if len(names) > MAX_ALIASES:
            raise forms.ValidationError(f"Enter no more than {MAX_ALIASES} other names")
        if any(len(n) > 100 for n in names):
            raise forms.ValidationError("Each other name must be 100 characters or fewer")
        return names

    def clean_disability(self):
        codes = self.cleaned_data["disability"]
        if Disability.NONE in codes and len(codes) > 1:
            raise forms.ValidationError(
                "Select 'No disability' or the child's disabilities, not both"
            )
        return codes

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("care_status") == CareStatus.LAC:
            self.clean_looked_after(cleaned)
        else:
            cleaned.update(legal_status="", placement_type="", placing_authority="")
        return cleaned

    def clean_looked_after(self, cleaned: dict) -> None:
        if not cleaned.get("legal_status"):
            self.add_error("legal_status", "Select the child's legal status")
        placed_in = cleaned.get("placed_by_other_authority")
        if not placed_in:
            self.add_error(
                "placed_by_other_authority",
                "Select yes if another local authority placed the child here",
            )
        elif placed_in == "no":
            cleaned["placing_authority"] = ""
        elif not cleaned.get("placing_authority"):
            self.add_error(
                "placing_authority", "Enter the local authority that placed the child here"
            )

    def child_fields(self) -> dict:
        """The cleaned answers as the service takes them."""
        return {k: v for k, v in self.cleaned_data.items() if k in CHILD_FIELD_NAMES}


CHILD_FIELD_NAMES = frozenset(
    {
        "first_name",
        "last_name",
        "date_of_birth",
        "known_as",
        "sex",
        "gender_identity",
        "ethnicity",
        "disability",
        "care_status",
        "legal_status",
        "placement_type",
        "placing_authority",
        "allocated_worker",
        "team",
        "is_restricted",
    }
)


class NewChildForm(ChildRecordForm):
    """Step 2 of adding a child; name and date of birth come from step 1."""

    submit_label = "Add child"

    def __init__(self, *args, actor: User, **kwargs):
        kwargs.setdefault("initial", {}).update(
            {"team": actor.team_id, "allocated_worker": actor.pk}
        )
        super().__init__(*args, actor=actor, child=None, **kwargs)

    def child_fields(self) -> dict:
        fields = super().child_fields()
        # Without the team question, a new child joins the team of the person adding them.
        fields.setdefault("team", self.actor.team)
        return fields


class ChildEditForm(ChildRecordForm):
    """The whole record, carrying the version the user opened."""

    submit_label = "Save changes"
    first_name = name_field("First name", "first name")
    last_name = name_field("Last name", "last name")
    date_of_birth = DateOfBirthField()
    version = VersionField()

    def __init__(self, *args, actor: User, child: Child, **kwargs):
        kwargs["initial"] = {**initial_from_child(child), **kwargs.get("initial", {})}
        super().__init__(*args, actor=actor, child=child, **kwargs)

    def identity_fields(self) -> list:
        return [
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field("date_of_birth"),
        ]


def initial_from_child(child: Child) -> dict:
    """The record as the edit form shows it."""
    initial = {name: getattr(child, name) for name in CHILD_FIELD_NAMES}
    initial.update(
        known_as="\n".join(child.known_as),
        team=child.team_id,
        allocated_worker=child.allocated_worker_id,
        version=child.version,
    )
    if child.care_status == CareStatus.LAC:
        initial["placed_by_other_authority"] = "yes" if child.placing_authority else "no"
    return initial
