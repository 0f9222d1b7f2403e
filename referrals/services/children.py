"""Adding and editing children's records. Each write records a chronology event."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.dateformat import format as format_date

from cre_portal.accounts.models import Agency, Team, User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import StaleEdit, save_versioned
from cre_portal.references import insert_with_free_reference
from referrals.codes import CareStatus
from referrals.models import Child
from referrals.permissions.children import (
    can_add_child,
    can_change_child_team,
    can_edit_child,
    can_restrict_child,
)

# What the chronology says changed: labels, never values.
FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "known_as": "known as",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "gender_identity": "gender identity",
    "ethnicity": "ethnicity",
    "disability": "disability",
    "care_status": "care status",
    "legal_status": "legal status",
    "placement_type": "placement type",
    "placing_authority": "placing authority",
    "allocated_worker": "allocated worker",
    "team": "team",
    "is_restricted": "restriction",
}
EDITABLE_FIELDS = frozenset(FIELD_LABELS)
LOOKED_AFTER_FIELDS = ("legal_status", "placement_type", "placing_authority")
MAX_AGE_YEARS = 25
REF_PREFIX = "CRE-"
REF_DIGITS = 6


# --- Rules shared with the forms ----------------------------------------------------------------
def earliest_date_of_birth(today: datetime.date | None = None) -> datetime.date:
    """The earliest date of birth accepted: 25 years ago (28 February for a 29 February)."""
    today = today or timezone.localdate()
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    return today.replace(year=today.year - MAX_AGE_YEARS, day=day)


def validate_date_of_birth(value: datetime.date) -> None:
    """A child's date of birth is not in the future and not more than 25 years ago."""
    if value > timezone.localdate():
        raise ValidationError("Date of birth must be today or in the past", code="future")
    earliest = earliest_date_of_birth()
    if value < earliest:
        raise ValidationError(
            f"Date of birth must be on or after {format_date(earliest, 'j F Y')}", code="too_old"
        )


# --- Case references ----------------------------------------------------------------------------
def _next_child_ref() -> str:
    """The reference after the highest "CRE-" number in use."""
    number = Cast(Substr("child_ref", len(REF_PREFIX) + 1), BigIntegerField())
    numbered = Child.objects.filter(child_ref__regex=rf"^{REF_PREFIX}[0-9]+$")
    highest = numbered.aggregate(highest=Max(number))["highest"] or 0
    return f"{REF_PREFIX}{highest + 1:0{REF_DIGITS}d}"


# --- Checks ---------------------------------------------------------------------------------------
def _check_field_names(fields: dict[str, Any]) -> None:
    unknown = fields.keys() - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")


def _clear_looked_after_details(child: Child) -> None:
    """Legal status, placement and placing authority belong to looked-after children only."""
    if child.care_status != CareStatus.LAC:
        for name in LOOKED_AFTER_FIELDS:
            setattr(child, name, "")


def _check_team_is_allocatable(team: Team | None) -> None:
    if team is not None and team.agency != Agency.CHILDRENS_SOCIAL_CARE:
        raise ValidationError({"team": "Select a children's social care team"})


def _check_allocation(child: Child) -> None:
    """The allocated worker is an active member of the child's team."""
    worker = child.allocated_worker
    if worker is None:
        return
    if not worker.is_active or worker.team_id != child.team_id:
        raise ValidationError({"allocated_worker": "Select a worker who is in the child's team"})


def _validate(child: Child) -> None:
    """The rules a form also checks, so a service call from anywhere keeps them."""
    if child.care_status == CareStatus.LAC and not child.legal_status:
        raise ValidationError({"legal_status": "Select the child's legal status"})
    try:
        validate_date_of_birth(child.date_of_birth)
    except ValidationError as error:
        raise ValidationError({"date_of_birth": error.messages}) from error
    child.full_clean(exclude=["child_ref", "search_text"])


# --- Services -------------------------------------------------------------------------------------
@transaction.atomic
def child_create(*, actor: User, **fields: Any) -> Child:
    """Add a child's record under a new case reference and record `child_created`."""
    _check_field_names(fields)
    if not can_add_child(actor):
        raise PermissionDenied
    if fields.get("is_restricted") and not can_restrict_child(actor, None):
        raise PermissionDenied
    child = Child(**fields)
    if can_change_child_team(actor, None):
        _check_team_is_allocatable(child.team)
    elif child.team_id != actor.team_id:
        raise PermissionDenied
    _clear_looked_after_details(child)
    _check_allocation(child)
    _validate(child)
    insert_with_free_reference(child, field="child_ref", next_reference=_next_child_ref)
    case_event_record(
        child_id=child.pk,
        category=CaseEvent.Category.CHILD,
        verb="child_created",
        summary=f"Record added ({child.get_care_status_display()})",
        obj=child,
        actor=actor,
    )
    return child


def _changed_fields(child: Child, before: dict[str, Any]) -> list[str]:
    return [name for name in FIELD_LABELS if child.serializable_value(name) != before[name]]


def _check_update_allowed(actor: User, child: Child, changed: list[str]) -> None:
    """Restricting and moving to another team are for managers; allocation must add up."""
    if "is_restricted" in changed and not can_restrict_child(actor, child):
        raise PermissionDenied
    if "team" in changed:
        if not can_change_child_team(actor, child):
            raise PermissionDenied
        _check_team_is_allocatable(child.team)
    if {"team", "allocated_worker"} & set(changed):
        _check_allocation(child)


@transaction.atomic
def child_update(
    *, child: Child, actor: User, expected_version: int, changes: dict[str, Any]
) -> Child:
    """Save changes made to the version the user opened and record `child_updated`.

    Raises StaleEdit if someone saved the record since; `child` is then reloaded, so the
    caller can offer the current version.
    """
    _check_field_names(changes)
    if not can_edit_child(actor, child):
        raise PermissionDenied
    current = Child.objects.select_related("team", "allocated_worker").get(pk=child.pk)
    before = {name: current.serializable_value(name) for name in FIELD_LABELS}
    for name, value in changes.items():
        setattr(current, name, value)
    _clear_looked_after_details(current)
    changed = _changed_fields(current, before)
    if not changed:
        return current
    _check_update_allowed(actor, current, changed)
    _validate(current)
    try:
        save_versioned(current, expected_version=expected_version, fields=changed)
    except StaleEdit:
        child.refresh_from_db()
        raise
    case_event_record(
        child_id=current.pk,
        category=CaseEvent.Category.CHILD,
        verb="child_updated",
        summary="Changed: " + ", ".join(FIELD_LABELS[name] for name in changed),
        obj=current,
        actor=actor,
    )
    return current
