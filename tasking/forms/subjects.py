"""Forms for subjects of concern, their links to children and to each other."""

import re
from typing import Any

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.forms.children import CONTROL_CHARACTERS, PlainTextField
from referrals.forms.moments import LondonDateField, OptionalLabelsMixin
from tasking.models import Grading, LinkSource, SubjectKind, SubjectOfConcern
from tasking.services.subjects import (
    KIND_FIELDS,
    normalise_phone,
    normalise_plate,
    subject_label,
)

MAX_ITEMS = 20
LINE_SEPARATORS = re.compile(r"[;\r\n]+")
PLATE = re.compile(r"^[A-Z0-9]{2,8}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
NAME_HINTS = {
    SubjectKind.PERSON: "Their full name as far as it is known",
    SubjectKind.PLACE: "What people call it, for example 'Flat 3, Tower Court' or 'the park flats'",
    SubjectKind.BUSINESS: "The business's trading name",
    SubjectKind.VEHICLE: "Make, model and colour, for example 'Black Audi A3'",
    SubjectKind.ONLINE: "The platform and what the account calls itself",
    SubjectKind.PEER_GROUP: "The name the group goes by",
}


class ListField(PlainTextField):
    """Several short values, one per line (or separated by semicolons)."""

    def __init__(self, *, label: str, item: str, item_length: int, **kwargs: Any) -> None:
        self.item, self.item_length = item, item_length
        super().__init__(
            label=label,
            multiline=True,
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            error_messages={"max_length": f"{label} must be 2000 characters or fewer"},
            **kwargs,
        )

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value)
        items = [i.strip() for i in LINE_SEPARATORS.split(text or "")]
        items = list(dict.fromkeys(i for i in items if i))
        if len(items) > MAX_ITEMS:
            raise forms.ValidationError(f"Enter no more than {MAX_ITEMS} {self.item}s")
        if any(len(i) > self.item_length for i in items):
            raise forms.ValidationError(
                f"Each {self.item} must be {self.item_length} characters or fewer"
            )
        return items


class SubjectKindForm(GDSForm):
    """The first question when adding a subject: the kind decides which details are asked."""

    submit_label = "Continue"
    kind = forms.ChoiceField(
        label="What kind of subject of concern is it?",
        choices=SubjectKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of subject",
            "invalid_choice": "Select the kind of subject",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("kind", legend_size="l", legend_tag="h1"))


class SubjectForm(OptionalLabelsMixin, GDSForm):
    """A subject's details; only the fields that mean something for its kind are asked."""

    submit_label = "Save the subject"
    name = PlainTextField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter the name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    aliases = ListField(
        label="Other names it is known by",
        item="other name",
        item_length=120,
        help_text="Nicknames, street names or other spellings, one on each line",
    )
    date_of_birth = LondonDateField(
        subject="their date of birth",
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 1998",
    )
    address = PlainTextField(
        label="Address",
        multiline=True,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Address must be 500 characters or fewer"},
    )
    postcode = PlainTextField(
        label="Postcode",
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a real postcode, like NT1 2AB"},
    )
    vehicle_registration = PlainTextField(
        label="Registration number",
        max_length=12,
        help_text="For example, AB12 CDE",
        error_messages={
            "required": "Enter the registration number",
            "max_length": "Enter a real registration number, like AB12 CDE",
        },
    )
    phone_numbers = ListField(
        label="Phone numbers", item="phone number", item_length=20, help_text="One on each line"
    )
    online_handles = ListField(
        label="Usernames or handles",
        item="username",
        item_length=120,
        help_text="With the platform if it helps, one on each line, for example @name on Snapchat",
    )
    description = PlainTextField(
        label="Why they are of concern",
        multiline=True,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Facts and their sources. Do not name children here: link them instead.",
        error_messages={"max_length": "Description must be 5000 characters or fewer"},
    )
    review_on = LondonDateField(
        subject="the review date",
        label="Review date",
        required=False,
        help_text="When to look again at whether this subject is still of concern. "
        "For example, 27 3 2027",
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in ("date_of_birth", "address", "postcode", "vehicle_registration",
                     "phone_numbers", "online_handles"):  # fmt: skip
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
        self.fields["name"].help_text = NAME_HINTS[SubjectKind(kind)]
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list:
        text_widths = {"postcode": 10, "vehicle_registration": 10}
        items = []
        for name in self.fields:
            if name in text_widths:
                items.append(Field.text(name, field_width=text_widths[name]))
            elif name == "status":
                items.append(Field.radios(name, legend_size="s"))
            elif name != "version":
                items.append(name)
        return [*items, *([Field("version")] if "version" in self.fields else [])]

    def clean_vehicle_registration(self) -> str:
        plate = self.cleaned_data["vehicle_registration"].upper()
        if not PLATE.match(normalise_plate(plate)):
            raise forms.ValidationError("Enter a real registration number, like AB12 CDE")
        return plate

    def clean_postcode(self) -> str:
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        if postcode and not POSTCODE.match(postcode):
            raise forms.ValidationError("Enter a real postcode, like NT1 2AB")
        return postcode

    def clean_phone_numbers(self) -> list[str]:
        numbers = self.cleaned_data["phone_numbers"]
        if any(not 7 <= len(normalise_phone(n)) <= 15 for n in numbers):
            raise forms.ValidationError("Enter phone numbers like 07700 900123, one on each line")
        return numbers

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return born

    def subject_fields(self) -> dict[str, Any]:
        """The answers as the services take them."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class SubjectEditForm(SubjectForm):
    submit_label = "Save changes"
    status = forms.ChoiceField(
        label="Status",
        choices=SubjectOfConcern.Status.choices,
        widget=forms.RadioSelect,
        help_text="Dormant: no recent intelligence. Closed: no longer of concern.",
        error_messages={"required": "Select the status"},
    )
    version = VersionField()

    def __init__(self, *args: Any, subject: SubjectOfConcern, **kwargs: Any) -> None:
        kwargs["initial"] = {**subject_initial(subject), **kwargs.get("initial", {})}
        super().__init__(*args, kind=subject.kind, **kwargs)


def subject_initial(subject: SubjectOfConcern) -> dict[str, Any]:
    lines = {"aliases", "phone_numbers", "online_handles"}
    names = (*SubjectForm.base_fields, "status", "version")
    values = {name: getattr(subject, name) for name in names}
    return {k: "\n".join(v) if k in lines else v for k, v in values.items()}


# --- Links -------------------------------------------------------------------------------------
class LinkForm(OptionalLabelsMixin, GDSForm):
    """Where a link came from, when, and how far it is borne out."""

    submit_label = "Save the link"
    source = forms.ChoiceField(
        label="Where does this link come from?",
        choices=LinkSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the link comes from"},
    )
    source_reference = PlainTextField(
        label="Reference",
        required=False,
        max_length=60,
        help_text="For example, the referral or intelligence log number",
        error_messages={"max_length": "Reference must be 60 characters or fewer"},
    )
    linked_on = LondonDateField(
        subject="the date of the link",
        label="Date of the link",
        help_text="When the link was made or reported. For example, 27 3 2026",
    )
    grading = forms.ChoiceField(
        label="How is the link graded?",
        choices=Grading.choices,
        widget=forms.RadioSelect,
        help_text="Verified: confirmed. Reported: someone has said so. "
        "Suspected: not yet borne out.",
        error_messages={"required": "Select how the link is graded"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*self.first_fields(), *LINK_LAYOUT)

    def first_fields(self) -> list:
        return []

    def link_fields(self) -> dict[str, Any]:
        names = ("source", "source_reference", "linked_on", "grading")
        return {name: self.cleaned_data[name] for name in names}


LINK_LAYOUT = [
    Field.radios("source", legend_size="s"),
    Field.text("source_reference", field_width=20),
    "linked_on",
    Field.radios("grading", legend_size="s"),
]


class ChildLinkForm(LinkForm):
    child_ref = PlainTextField(
        label="Child's case reference",
        max_length=30,
        help_text="You can link only children whose records you can open",
        error_messages={
            "required": "Enter the child's case reference",
            "max_length": "Enter a real case reference",
        },
    )

    def __init__(self, *args: Any, children: QuerySet, **kwargs: Any) -> None:
        self.children = children
        super().__init__(*args, **kwargs)

    def first_fields(self) -> list:
        return [Field.text("child_ref", field_width=10)]

    def clean_child_ref(self) -> Any:
        reference = CONTROL_CHARACTERS.sub("", self.cleaned_data["child_ref"]).strip()
        child = self.children.filter(child_ref__iexact=reference).first()
        if child is None:
            # The same answer whether the child does not exist or is out of the user's sight.
            raise forms.ValidationError(
                "Enter the case reference of a child whose record you can open"
            )
        return child


class SubjectChoiceField(forms.ModelChoiceField):
    """Subjects by kind and reference: their names stay behind the break-glass question."""

    def label_from_instance(self, obj: SubjectOfConcern) -> str:
        return subject_label(obj)


class AssociationForm(LinkForm):
    other = SubjectChoiceField(
        label="Which subject is it linked to?",
        queryset=SubjectOfConcern.objects.none(),
        empty_label="Select a subject",
        error_messages={"required": "Select the subject it is linked to"},
    )

    def __init__(self, *args: Any, subjects: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = subjects  # type: ignore[attr-defined]

    def first_fields(self) -> list:
        return [Field.select("other")]


class LinkEndForm(GDSForm):
    submit_label = "End the link"
    ended_on = LondonDateField(
        subject="the date the link ended",
        label="Date the link ended",
        help_text="For example, 27 3 2026",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DaysForm(forms.Form):
    """The period of 'children linked in the last N days'; checked so odd input is not a 500."""

    days = forms.IntegerField(
        min_value=1,
        max_value=3650,
        required=False,
        error_messages={
            "invalid": "Enter a number of days, like 90",
            "min_value": "Enter a number of days from 1 to 3650",
            "max_value": "Enter a number of days from 1 to 3650",
        },
    )
