"""The Philomena profile form: what police need at once when a looked-after child goes missing."""

from typing import Any

from django import forms

from cre_portal.concurrency import VersionField
from cre_portal.forms import GDSForm
from referrals.models import PhilomenaProfile
from referrals.services.philomena import NEW_PROFILE_VERSION, PROFILE_FIELDS

TEXT_MAX = 5000
# Label and hint of each of the profile's fields (services.philomena.PROFILE_FIELDS).
PROFILE_LABELS = {
    "physical_description": (
        "Physical description",
        "Height, build, hair, eyes, skin, and how they usually dress",
    ),
    "distinguishing_features": (
        "Distinguishing features",
        "Scars, tattoos, piercings, glasses",
    ),
    "associates": (
        "Associates",
        "Friends, relatives and adults they may be with, and where those people live if known",
    ),
    "places_frequented": (
        "Places they go",
        "Addresses, areas, shops, parks and towns they travel to",
    ),
    "phone_numbers": ("Phone numbers", "Their own numbers and any others they are known to use"),
    "social_media": ("Social media", "Apps and usernames"),
    "medical_needs": ("Medical needs", "Conditions, medication, and what happens without it"),
    "other_information": (
        "Other information",
        "Anything else that would help police find them",
    ),
}


def profile_rows(profile: PhilomenaProfile | None) -> list[tuple[str, str]]:
    """(label, answer) for each field, in the order police read them."""
    return [
        (PROFILE_LABELS[name][0], getattr(profile, name, "") if profile else "")
        for name in PROFILE_FIELDS
    ]


class PhilomenaProfileForm(GDSForm):
    submit_label = "Save the profile"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            label, hint = PROFILE_LABELS[name]
            self.fields[name] = forms.CharField(
                label=label,
                help_text=hint,
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": f"{label} must be {TEXT_MAX} characters or fewer"},
            )
        # Added last, so the hidden input follows the text areas.
        self.fields["version"] = VersionField()

    @staticmethod
    def initial_for(profile: PhilomenaProfile | None) -> dict[str, Any]:
        if profile is None:
            return {"version": NEW_PROFILE_VERSION}
        return {
            **{name: getattr(profile, name) for name in PROFILE_FIELDS},
            "version": profile.version,
        }

    def details(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
