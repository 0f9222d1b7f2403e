"""The CRE Offer: support proportionate to an approved assessment's level, then each item tracked.

An approved assessment proposes the active interventions whose levels include its level
(`offer_propose`, called by the approval service inside its transaction). The worker then offers
each proposal or records why it is not offered, and tracks what was offered:

    proposed -> offered -> accepted -> being delivered -> ended
             -> not offered    -> declined   -> ended (accepted but never started)

Each step locks the item, refuses a form loaded before someone else moved it on (StaleEdit),
checks that the step is open now and that its date is neither in the future nor before the step
before it, and puts a line on the child's chronology. Chronology summaries name the intervention
(catalogue wording) and never the reasons or outcomes typed about the child.
"""

import datetime
import enum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import StaleEdit, changed_since, save_versioned
from cre_portal.timescales import LONDON
from referrals.codes import RiskLevel
from referrals.models import Child
from risk_assessment.models import Assessment, Intervention, OfferItem
from risk_assessment.permissions.offer import can_plan_offer

Status = OfferItem.Status
# Support the child is getting, or has been offered and may yet get: never proposed twice.
IN_PROGRESS = (Status.OFFERED, Status.ACCEPTED, Status.DELIVERED)
OPEN = (Status.PROPOSED, *IN_PROGRESS)
OFFERED_ON, ACCEPTED_ON, STARTED_ON = (
    "the date it was offered",
    "the date it was accepted",
    "the date it started",
)


class Step(enum.StrEnum):
    OFFER = "offer"
    NOT_OFFERED = "not_offered"
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    END = "end"


NEXT_STEPS: dict[str, tuple[Step, ...]] = {
    Status.PROPOSED: (Step.OFFER, Step.NOT_OFFERED),
    Status.OFFERED: (Step.ACCEPT, Step.DECLINE),
    Status.ACCEPTED: (Step.START, Step.END),
    Status.DELIVERED: (Step.END,),
}

STEP_CLOSED = {
    Step.OFFER: "You can only offer support that has been proposed and not yet offered",
    Step.NOT_OFFERED: "You can only record that support was not offered before it is offered",
    Step.ACCEPT: "You can only record an answer to support that has been offered",
    Step.DECLINE: "You can only record an answer to support that has been offered",
    Step.START: "You can only record that support started once it has been accepted",
    Step.END: "You can only end support that was accepted or is being delivered",
}


def long_date(day: datetime.date) -> str:
    """A date as GOV.UK writes it: 3 December 2026."""
    return f"{day.day} {day:%B %Y}"


def offer_item_open_steps(item: OfferItem) -> tuple[Step, ...]:
    """The steps that can be recorded next for the item, in the order the page offers them."""
    return NEXT_STEPS.get(item.status, ())


def latest_approved_assessment(child: Child) -> Assessment | None:
    """The assessment whose level the child's support is proportionate to now."""
    approved = Assessment.objects.filter(child=child, status=Assessment.Status.APPROVED)
    return approved.order_by("-completed_on", "-decided_at", "-created_at").first()


# --- Proposing ----------------------------------------------------------------------------------
def _supersede_earlier_proposals(assessment: Assessment) -> int:
    """Close proposals of earlier assessments nobody acted on: the new level replaces them."""
    reason = (
        f"Replaced by the CRE Offer proposed when assessment "
        f"{assessment.assessment_ref} was approved."
    )
    earlier = OfferItem.objects.filter(child_id=assessment.child_id, status=Status.PROPOSED)
    # update() keeps the trigger history and bumps the version, so open forms become stale.
    return earlier.exclude(assessment=assessment).update(
        status=Status.WITHDRAWN, outcome=reason, version=F("version") + 1, updated_at=timezone.now()
    )


def offer_propose(*, assessment: Assessment, actor: User | None) -> list[OfferItem]:
    """Propose the active interventions proportionate to an approved assessment's level.

    Skips interventions the child already has in progress and those already proposed for this
    assessment, so calling it twice changes nothing. Returns the items it created.
    """
    if assessment.status != Assessment.Status.APPROVED or not assessment.level:
        raise ValidationError("Only an approved assessment with a level can propose a CRE Offer")
    with transaction.atomic():
        child_items = OfferItem.objects.filter(child_id=assessment.child_id)
        skip = set(
            child_items.filter(status__in=IN_PROGRESS).values_list("intervention_id", flat=True)
        )
        skip |= set(assessment.offer_items.values_list("intervention_id", flat=True))
        superseded = _supersede_earlier_proposals(assessment)
        interventions = Intervention.objects.filter(
            is_active=True, levels__contains=[assessment.level]
        ).exclude(pk__in=skip)
        items = OfferItem.objects.bulk_create(
            OfferItem(
                child_id=assessment.child_id,
                assessment=assessment,
                intervention=intervention,
                provider=intervention.default_provider,
            )
            for intervention in interventions
        )
        if items or superseded:
            _record_proposal(assessment, len(items), actor)
    return items


def _record_proposal(assessment: Assessment, count: int, actor: User | None) -> None:
    noun = "intervention" if count == 1 else "interventions"
    level = RiskLevel(assessment.level).label
    case_event_record(
        child_id=assessment.child_id,
        category=CaseEvent.Category.ASSESSMENT,
        verb="offer_proposed",
        summary=f"CRE Offer proposed: {count} {noun} for {level} risk",
        obj=assessment,
        actor=actor,
    )


# --- Adding from the catalogue ------------------------------------------------------------------
def addable_interventions(child: Child) -> list[Intervention]:
    """Active interventions not already open for the child nor used by its latest assessment."""
    open_items = OfferItem.objects.filter(child=child, status__in=OPEN)
    taken = set(open_items.values_list("intervention_id", flat=True))
    assessment = latest_approved_assessment(child)
    if assessment is not None:
        taken |= set(assessment.offer_items.values_list("intervention_id", flat=True))
    return list(Intervention.objects.filter(is_active=True).exclude(pk__in=taken))


@transaction.atomic
def offer_item_add(*, child: Child, intervention: Intervention, actor: User) -> OfferItem:
    """Add an intervention from the catalogue that the assessment did not propose (any level)."""
    if not can_plan_offer(actor, child):
        raise PermissionDenied
    # Lock the child so two workers cannot add the same support at once.
    Child.objects.select_for_update().only("pk").get(pk=child.pk)
    assessment = latest_approved_assessment(child)
    if assessment is None:
        raise ValidationError(
            "Support can be added once the child has an approved CRE risk assessment"
        )
    if not intervention.is_active:
        raise ValidationError({"intervention": "Select support from the catalogue"})
    if intervention not in addable_interventions(child):
        raise ValidationError(
            {"intervention": f"{intervention.name} is already part of the child's CRE Offer"}
        )
    item = OfferItem.objects.create(
        child=child,
        assessment=assessment,
        intervention=intervention,
        provider=intervention.default_provider,
    )
    _record_event(item, actor=actor, verb="offer_item_added", what="added")
    return item


# --- Tracking each item -------------------------------------------------------------------------
def _lock(item: OfferItem, *, version: int, step: Step, actor: User) -> OfferItem:
    """The item as it is now, locked; refused if the form is stale or the step not open."""
    if not can_plan_offer(actor, item.child):
        raise PermissionDenied
    current = OfferItem.objects.select_for_update().select_related("intervention").get(pk=item.pk)
    # The version is checked first, so someone who lost a race hears why, not just "not open".
    if current.version != version:
        raise StaleEdit(changed_since(current, version))
    if step not in offer_item_open_steps(current):
        raise ValidationError(STEP_CLOSED[step])
    return current


def _check_date(
    day: datetime.date,
    *,
    field: str,
    label: str,
    not_before: datetime.date | None = None,
    previous: str = "",
) -> None:
    """A step's date may not be in the future, nor before the step it follows."""
    name = label[:1].upper() + label[1:]
    if day > timezone.localdate():
        raise ValidationError({field: f"{name} must be today or in the past"})
    if not_before and day < not_before:
        raise ValidationError(
            {field: f"{name} must be the same as or after {previous} ({long_date(not_before)})"}
        )


def _required_text(value: str, *, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _record_event(
    item: OfferItem,
    *,
    actor: User,
    verb: str,
    what: str,
    day: datetime.date | None = None,
    is_significant: bool = False,
) -> None:
    # Steps are dated, not timed: they sit at the start of their day on the chronology.
    at = datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON) if day else None
    case_event_record(
        child_id=item.child_id,
        category=CaseEvent.Category.ASSESSMENT,
        verb=verb,
        summary=f"CRE Offer: {item.intervention.name} {what}",
        obj=item,
        actor=actor,
        occurred_at=at,
        is_significant=is_significant,
    )


@transaction.atomic
def offer_item_offer(
    *, item: OfferItem, offered_on: datetime.date, provider: str, version: int, actor: User
) -> OfferItem:
    """Record that the proposed support was offered to the child and family, and by whom."""
    item = _lock(item, version=version, step=Step.OFFER, actor=actor)
    _check_date(offered_on, field="offered_on", label=OFFERED_ON)
    item.provider = _required_text(
        provider, field="provider", message="Enter who will provide this support"
    )
    item.status, item.offered_on = Status.OFFERED, offered_on
    save_versioned(item, expected_version=version, fields=["status", "offered_on", "provider"])
    _record_event(item, actor=actor, verb="offer_item_offered", what="offered", day=offered_on)
    return item


@transaction.atomic
def offer_item_not_offer(*, item: OfferItem, reason: str, version: int, actor: User) -> OfferItem:
    """Record that proposed support will not be offered, and why (kept in the item's outcome)."""
    item = _lock(item, version=version, step=Step.NOT_OFFERED, actor=actor)
    item.outcome = _required_text(
        reason, field="reason", message="Enter why this support is not being offered"
    )
    item.status = Status.WITHDRAWN
    save_versioned(item, expected_version=version, fields=["status", "outcome"])
    _record_event(item, actor=actor, verb="offer_item_not_offered", what="not offered")
    return item


@transaction.atomic
def offer_item_accept(
    *, item: OfferItem, responded_on: datetime.date, version: int, actor: User
) -> OfferItem:
    """Record that the child or family accepted the support offered."""
    item = _lock(item, version=version, step=Step.ACCEPT, actor=actor)
    _check_date(
        responded_on,
        field="responded_on",
        label="the date it was accepted",
        not_before=item.offered_on,
        previous=OFFERED_ON,
    )
    item.status, item.responded_on = Status.ACCEPTED, responded_on
    save_versioned(item, expected_version=version, fields=["status", "responded_on"])
    _record_event(item, actor=actor, verb="offer_item_accepted", what="accepted", day=responded_on)
    return item


@transaction.atomic
def offer_item_decline(
    *, item: OfferItem, responded_on: datetime.date, reason: str, version: int, actor: User
) -> OfferItem:
    """Record that the support offered was declined; what was said is optional."""
    item = _lock(item, version=version, step=Step.DECLINE, actor=actor)
    _check_date(
        responded_on,
        field="responded_on",
        label="the date it was declined",
        not_before=item.offered_on,
        previous=OFFERED_ON,
    )
    item.status, item.responded_on, item.outcome = Status.DECLINED, responded_on, reason.strip()
    save_versioned(item, expected_version=version, fields=["status", "responded_on", "outcome"])
    _record_event(
        item,
        actor=actor,
        verb="offer_item_declined",
        what="declined",
        day=responded_on,
        is_significant=True,
    )
    return item


@transaction.atomic
def offer_item_start(
    *, item: OfferItem, started_on: datetime.date, provider: str, version: int, actor: User
) -> OfferItem:
    """Record that delivery of the accepted support started, and who is delivering it."""
    item = _lock(item, version=version, step=Step.START, actor=actor)
    _check_date(
        started_on,
        field="started_on",
        label=STARTED_ON,
        not_before=item.responded_on,
        previous=ACCEPTED_ON,
    )
    item.provider = _required_text(
        provider, field="provider", message="Enter who is providing this support"
    )
    item.status, item.started_on = Status.DELIVERED, started_on
    save_versioned(item, expected_version=version, fields=["status", "started_on", "provider"])
    _record_event(item, actor=actor, verb="offer_item_started", what="started", day=started_on)
    return item


@transaction.atomic
def offer_item_end(
    *, item: OfferItem, ended_on: datetime.date, outcome: str, version: int, actor: User
) -> OfferItem:
    """Record that the support ended (or ended before it started) and what came of it."""
    item = _lock(item, version=version, step=Step.END, actor=actor)
    # Accepted support can end before it starts: then the acceptance is the step before.
    previous = (
        (item.started_on, STARTED_ON) if item.started_on else (item.responded_on, ACCEPTED_ON)
    )
    _check_date(
        ended_on,
        field="ended_on",
        label="the date it ended",
        not_before=previous[0],
        previous=previous[1],
    )
    item.outcome = _required_text(
        outcome, field="outcome", message="Enter the outcome of this support"
    )
    item.status, item.ended_on = Status.ENDED, ended_on
    save_versioned(item, expected_version=version, fields=["status", "ended_on", "outcome"])
    _record_event(item, actor=actor, verb="offer_item_ended", what="ended", day=ended_on)
    return item
