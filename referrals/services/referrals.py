"""CRE referrals: recording, correcting, screening, allocating and closing.

Each service checks the actor's permission itself, changes state only from the states allowed
(RECEIVED -> ACCEPTED or NFA; ACCEPTED -> CLOSED), and writes the chronology in its transaction.
"""

import dataclasses
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import save_versioned
from cre_portal.references import insert_with_free_reference
from cre_portal.timescales import LONDON, local_date
from referrals.codes import CareStatus, ExploitationType, LegalStatus, ReferralSource
from referrals.models import Child, Referral
from referrals.permissions.referrals import (
    can_allocate_referral,
    can_close_referral,
    can_edit_referral,
    can_record_referral,
    can_screen_referral,
)

REF_PREFIX = "REF-"
OPEN_STATUSES = (Referral.Status.RECEIVED, Referral.Status.ACCEPTED)
SCREENING_DECISIONS = (Referral.Status.ACCEPTED, Referral.Status.NO_FURTHER_ACTION)
# The reports name exploitation this way; "both" counts as CCE and CSE.
EXPLOITATION_WORDS = {
    ExploitationType.CCE: "CCE",
    ExploitationType.CSE: "CSE",
    ExploitationType.BOTH: "CCE and CSE",
}
EDITABLE_FIELDS = (
    "received_on",
    "source",
    "exploitation_type",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
    "concerns",
)


@dataclasses.dataclass(frozen=True)
class CarePosition:
    """The child's care position on the day a referral is recorded, as the referral keeps it."""

    care_status: str
    looked_after: bool
    legal_status: str
    placing_authority: str

    @classmethod
    def of_referral(cls, referral: Referral) -> "CarePosition":
        """The position a referral captured when it was recorded."""
        return cls(
            care_status=referral.care_status,
            looked_after=referral.looked_after,
            legal_status=referral.legal_status,
            placing_authority=referral.placing_authority,
        )

    @property
    def care_status_label(self) -> str:
        return str(CareStatus(self.care_status).label) if self.care_status else ""

    @property
    def legal_status_label(self) -> str:
        return str(LegalStatus(self.legal_status).label) if self.legal_status else ""


def referral_care_position(child: Child) -> CarePosition:
    """What a referral recorded now would capture from the child's record."""
    looked_after = child.care_status == CareStatus.LAC
    return CarePosition(
        care_status=child.care_status,
        looked_after=looked_after,
        # Legal status and placing authority describe a looked-after child only.
        legal_status=child.legal_status if looked_after else "",
        placing_authority=child.placing_authority if looked_after else "",
    )


def _occurred_at(day: datetime.date) -> datetime.datetime:
    """When a dated step happened: now if it is today, else the start of that day in London."""
    now = timezone.now()
    if day == local_date(now):
        return now
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def _check_day(day: datetime.date, *, field: str, label: str, not_before: datetime.date) -> None:
    """A step's date is not in the future and not before the step it follows."""
    if day > local_date(timezone.now()):
        raise ValidationError({field: f"{label} must be today or in the past"})
    if day < not_before:
        raise ValidationError(
            {field: f"{label} must be on or after {not_before.day} {not_before:%B %Y}"}
        )


def _locked(referral: Referral) -> Referral:
    """The referral's current row, locked until the transaction ends, so guards hold."""
    return Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)


def _save(referral: Referral, fields: list[str]) -> None:
    """Save a state change on a locked row; the version moves so open edit forms go stale."""
    referral.version += 1
    referral.save(update_fields=[*fields, "version", "updated_at"])


def _record(
    referral: Referral, *, verb: str, summary: str, actor: User | None, **kwargs: Any
) -> None:
    case_event_record(
        child_id=referral.child_id,
        category=CaseEvent.Category.REFERRAL,
        verb=verb,
        summary=summary,
        obj=referral,
        actor=actor,
        **kwargs,
    )


# --- Recording --------------------------------------------------------------------------------
def _first_free_ref() -> str:
    """The next REF-<date>-<number> for today; refs sort by the day they were recorded."""
    prefix = f"{REF_PREFIX}{local_date(timezone.now()):%Y%m%d}-"
    number = Referral.objects.filter(referral_ref__startswith=prefix).count() + 1
    while Referral.objects.filter(referral_ref=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


def _new_referral(
    *, child: Child, actor: User | None, referral_ref: str, **details: Any
) -> Referral:
    position = referral_care_position(child)
    referral = Referral(
        child=child,
        referral_ref=referral_ref,
        created_by=actor,
        care_status=position.care_status,
        looked_after=position.looked_after,
        legal_status=position.legal_status,
        placing_authority=position.placing_authority,
        **details,
    )
    _check_day(
        referral.received_on,
        field="received_on",
        label="The date the referral was received",
        not_before=datetime.date.min,
    )
    referral.full_clean(validate_unique=False)
    return referral


@transaction.atomic
def referral_create(
    *,
    child: Child,
    actor: User | None,
    received_on: datetime.date,
    source: str,
    exploitation_type: str,
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_contact: str = "",
    concerns: str = "",
    referral_ref: str | None = None,
) -> Referral:
    """Record a CRE referral, capturing the child's care position today; actor None = system."""
    if actor is not None and not can_record_referral(actor, child):
        raise PermissionDenied
    if referral_ref is not None and Referral.objects.filter(referral_ref=referral_ref).exists():
        raise ValidationError({"referral_ref": "A referral with this reference already exists"})
    # Capture from the stored record, not from whatever copy the caller holds.
    current = Child.objects.get(pk=child.pk)
    referral = _new_referral(
        child=current,
        actor=actor,
        referral_ref=referral_ref or _first_free_ref(),
        received_on=received_on,
        source=source,
        exploitation_type=exploitation_type,
        referrer_name=referrer_name,
        referrer_organisation=referrer_organisation,
        referrer_contact=referrer_contact,
        concerns=concerns,
    )
    if referral_ref is None:
        insert_with_free_reference(referral, field="referral_ref", next_reference=_first_free_ref)
    else:
        referral.save(force_insert=True)
    word = EXPLOITATION_WORDS[ExploitationType(exploitation_type)]
    _record(
        referral,
        verb="referral_received",
        summary=f"{word} referral received from {ReferralSource(source).label}",
        actor=actor,
        occurred_at=_occurred_at(received_on),
    )
    return referral


@transaction.atomic
def referral_update(
    *, referral: Referral, actor: User, expected_version: int, **details: Any
) -> Referral:
    """Correct the details of a referral not yet screened; StaleEdit if someone saved meanwhile."""
    if not can_edit_referral(actor, referral):
        raise PermissionDenied
    if _locked(referral).status != Referral.Status.RECEIVED:
        raise ValidationError(
            "This referral has been screened, so its details can no longer be changed"
        )
    unknown = details.keys() - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changed = [name for name, value in details.items() if getattr(referral, name) != value]
    for name in changed:
        setattr(referral, name, details[name])
    _check_day(
        referral.received_on,
        field="received_on",
        label="The date the referral was received",
        not_before=datetime.date.min,
    )
    referral.full_clean(validate_unique=False)
    save_versioned(referral, expected_version=expected_version, fields=changed)
    if changed:
        fields = [Referral._meta.get_field(name) for name in changed]
        labels = ", ".join(str(getattr(field, "verbose_name", field.name)) for field in fields)
        _record(
            referral,
            verb="referral_details_corrected",
            summary=f"Referral {referral.referral_ref} details corrected: {labels}",
            actor=actor,
        )
    return referral


# --- Screening, allocation and closure --------------------------------------------------------
@transaction.atomic
def referral_screen(
    *,
    referral: Referral,
    actor: User,
    decision: str,
    screened_on: datetime.date,
    rationale: str,
) -> Referral:
    """Screen a received referral in (accepted for CRE support) or out (no further action)."""
    if not can_screen_referral(actor, referral):
        raise PermissionDenied
    referral = _locked(referral)
    if referral.status != Referral.Status.RECEIVED:
        raise ValidationError("This referral has already been screened")
    if decision not in SCREENING_DECISIONS:
        raise ValidationError({"decision": "Select whether to screen the referral in or out"})
    _check_day(
        screened_on,
        field="screened_on",
        label="The screening date",
        not_before=referral.received_on,
    )
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the reason for the decision"})
    referral.status = decision
    referral.screened_on = screened_on
    referral.screened_by = actor
    referral.screening_rationale = rationale
    _save(referral, ["status", "screened_on", "screened_by", "screening_rationale"])
    accepted = decision == Referral.Status.ACCEPTED
    outcome = (
        "screened in: accepted for CRE support" if accepted else "screened out: no further action"
    )
    _record(
        referral,
        verb="referral_screened_in" if accepted else "referral_screened_out",
        summary=f"Referral {referral.referral_ref} {outcome}",
        actor=actor,
        occurred_at=_occurred_at(screened_on),
    )
    return referral


@transaction.atomic
def referral_allocate(*, referral: Referral, actor: User, worker: User) -> Referral:
    """Allocate an open referral to a worker who can open the child's record."""
    if not can_allocate_referral(actor, referral):
        raise PermissionDenied
    referral = _locked(referral)
    if referral.status not in OPEN_STATUSES:
        raise ValidationError("Only an open referral can be allocated")
    if not worker.is_active or not can_record_referral(worker, referral.child):
        raise ValidationError({"worker": "Select a worker who can open this child's record"})
    if referral.allocated_worker_id == worker.pk:
        raise ValidationError({"worker": "The referral is already allocated to this worker"})
    reallocated = referral.allocated_worker_id is not None
    referral.allocated_worker = worker
    _save(referral, ["allocated_worker"])
    # The worker's name stays off the summary (codes and dates only); the page shows it.
    _record(
        referral,
        verb="referral_reallocated" if reallocated else "referral_allocated",
        summary=f"Referral {referral.referral_ref} {'re' if reallocated else ''}allocated",
        actor=actor,
    )
    return referral


@transaction.atomic
def referral_close(
    *,
    referral: Referral,
    actor: User,
    closed_on: datetime.date,
    reason: str,
    note: str = "",
) -> Referral:
    """Close an accepted referral with a reason; a referral screened out is already finished."""
    if not can_close_referral(actor, referral):
        raise PermissionDenied
    referral = _locked(referral)
    if referral.status != Referral.Status.ACCEPTED:
        raise ValidationError("Only a referral that has been screened in and is open can be closed")
    if reason not in Referral.ClosureReason.values:
        raise ValidationError({"reason": "Select why the referral is being closed"})
    if reason == Referral.ClosureReason.OTHER and not note.strip():
        raise ValidationError({"note": "Enter why the referral is being closed"})
    screened_on = referral.screened_on or referral.received_on
    _check_day(closed_on, field="closed_on", label="The closure date", not_before=screened_on)
    referral.status = Referral.Status.CLOSED
    referral.closed_on = closed_on
    referral.closure_reason = reason
    referral.closure_note = note
    _save(referral, ["status", "closed_on", "closure_reason", "closure_note"])
    _record(
        referral,
        verb="referral_closed",
        summary=f"Referral {referral.referral_ref} closed: {Referral.ClosureReason(reason).label}",
        actor=actor,
        occurred_at=_occurred_at(closed_on),
    )
    return referral
