"""The Philomena profile: kept in advance for a looked-after child, handed to police at once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import save_versioned
from referrals.codes import CareStatus
from referrals.models import Child, PhilomenaProfile
from referrals.permissions.missing import can_edit_philomena_profile

PROFILE_FIELDS = (
    "physical_description",
    "distinguishing_features",
    "associates",
    "places_frequented",
    "phone_numbers",
    "social_media",
    "medical_needs",
    "other_information",
)
# A profile that does not exist yet is edited "at version 1": the row the first save creates.
NEW_PROFILE_VERSION = 1


def philomena_profile_for(child: Child) -> PhilomenaProfile | None:
    """The child's profile with who last updated it, or None before the first save."""
    return PhilomenaProfile.objects.select_related("updated_by").filter(child=child).first()


@transaction.atomic
def philomena_profile_save(
    *, child: Child, actor: User, expected_version: int, details: dict[str, str]
) -> PhilomenaProfile:
    """Create or update the child's profile; a save from a stale copy is refused (StaleEdit)."""
    if not can_edit_philomena_profile(actor, child):
        raise PermissionDenied
    if child.care_status != CareStatus.LAC:
        raise ValidationError("A Philomena profile is kept only for looked-after children")
    # Two first saves at once: the second finds the first's row at version 2 and is refused.
    profile, created = PhilomenaProfile.objects.get_or_create(child=child)
    for name in PROFILE_FIELDS:
        setattr(profile, name, details.get(name, ""))
    profile.updated_by = actor
    save_versioned(
        profile, expected_version=expected_version, fields=[*PROFILE_FIELDS, "updated_by"]
    )
    case_event_record(
        child_id=child.pk,
        category=CaseEvent.Category.CHILD,
        verb="philomena_created" if created else "philomena_updated",
        summary=f"Philomena profile {'created' if created else 'updated'}",
        obj=profile,
        actor=actor,
    )
    return profile
