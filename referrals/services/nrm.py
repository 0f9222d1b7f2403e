"""National Referral Mechanism referrals: each step guarded, versioned and put on the chronology.

Considered -> referred -> reasonable grounds decision -> (if positive) recovery period ->
conclusive grounds decision; reconsideration of a negative decision may be requested, and the
referral may be withdrawn at any point before a conclusive grounds decision. Each service locks
the row and refuses a form loaded before someone else moved the referral on (StaleEdit), then
checks that the step is open and that its date is neither in the future nor before the last step.
"""

import datetime
import enum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import StaleEdit, changed_since, save_versioned
from cre_portal.timescales import LONDON, nrm_reasonable_grounds_due
from referrals.models import Child, Decision, NrmReferral
from referrals.permissions.nrm import can_record_nrm

Status = NrmReferral.Status


class Step(enum.StrEnum):
    REFER = "refer"
    REASONABLE_GROUNDS = "reasonable_grounds"
    CONCLUSIVE_GROUNDS = "conclusive_grounds"
    RECONSIDERATION = "reconsideration"
    WITHDRAW = "withdraw"


STEP_CLOSED = {
    Step.REFER: "The referral has already been recorded, or the NRM referral was withdrawn",
    Step.REASONABLE_GROUNDS: (
        "You can only record a reasonable grounds decision once the referral has been made, "
        "and only once unless reconsideration was requested"
    ),
    Step.CONCLUSIVE_GROUNDS: (
        "You can only record a conclusive grounds decision after a positive reasonable "
        "grounds decision"
    ),
    Step.RECONSIDERATION: "You can only request reconsideration of a negative decision",
    Step.WITHDRAW: (
        "You can only withdraw an NRM referral before a conclusive grounds decision, and only once"
    ),
}

# The dated steps in order, and how messages name them.
STEP_DATES = {
    "considered_on": "the date the NRM referral was considered",
    "referred_on": "the date of referral",
    "reasonable_grounds_on": "the date of the reasonable grounds decision",
    "conclusive_grounds_on": "the date of the conclusive grounds decision",
    "reconsideration_requested_on": "the date reconsideration was requested",
}
WITHDRAWN_ON = "the date the NRM referral was withdrawn"


def long_date(day: datetime.date) -> str:
    """A date as GOV.UK writes it: 3 December 2026."""
    return f"{day.day} {day:%B %Y}"


def nrm_open_steps(nrm: NrmReferral) -> frozenset[Step]:
    """The steps that can be recorded next, given how far the referral has got."""
    reconsidering = nrm.status == Status.RECONSIDERATION
    concluded = bool(nrm.conclusive_grounds_decision)
    steps = set()
    if nrm.status == Status.CONSIDERED:
        steps.add(Step.REFER)
    # A reconsidered decision is recorded again through the same step.
    if nrm.status == Status.REFERRED or (reconsidering and not concluded):
        steps.add(Step.REASONABLE_GROUNDS)
    if nrm.status == Status.RECOVERY or (reconsidering and concluded):
        steps.add(Step.CONCLUSIVE_GROUNDS)
    negative_cg = nrm.conclusive_grounds_decision == Decision.NEGATIVE
    if nrm.status == Status.RG_NEGATIVE or (nrm.status == Status.CONCLUDED and negative_cg):
        steps.add(Step.RECONSIDERATION)
    if nrm.status != Status.WITHDRAWN and not concluded:
        steps.add(Step.WITHDRAW)
    return frozenset(steps)


def _latest_step(nrm: NrmReferral) -> tuple[datetime.date, str]:
    """The date of the most recent step and its name; a later step ties with an earlier one."""
    dated = [(getattr(nrm, field), label) for field, label in reversed(STEP_DATES.items())]
    return max(((day, label) for day, label in dated if day), key=lambda pair: pair[0])


def _check_date(
    day: datetime.date, *, field: str, label: str, nrm: NrmReferral | None = None
) -> None:
    """A step's date may not be in the future, nor before the step before it."""
    name = label[:1].upper() + label[1:]
    if day > timezone.localdate():
        raise ValidationError({field: f"{name} must be today or in the past"})
    if nrm is None:
        return
    previous_day, previous_label = _latest_step(nrm)
    if day < previous_day:
        raise ValidationError(
            {
                field: f"{name} must be the same as or after {previous_label} "
                f"({long_date(previous_day)})"
            }
        )


def _check_decision(decision: str) -> None:
    if decision not in Decision.values:
        raise ValidationError({"decision": "Select whether the decision was positive or negative"})


def _lock(nrm: NrmReferral, *, version: int, step: Step, actor: User) -> NrmReferral:
    """The referral as it is now, locked; refused if the form is stale or the step not open."""
    if not can_record_nrm(actor, nrm.child):
        raise PermissionDenied
    current = NrmReferral.objects.select_for_update().get(pk=nrm.pk)
    # The version is checked first, so someone who lost a race hears why, not just "not open".
    if current.version != version:
        raise StaleEdit(changed_since(current, version))
    if step not in nrm_open_steps(current):
        raise ValidationError(STEP_CLOSED[step])
    return current


def _record_event(
    nrm: NrmReferral,
    *,
    actor: User,
    verb: str,
    day: datetime.date,
    summary: str,
    is_significant: bool = False,
) -> None:
    # The steps are dated, not timed: they sit at the start of their day on the chronology.
    case_event_record(
        child_id=nrm.child_id,
        category=CaseEvent.Category.NRM,
        verb=verb,
        summary=summary,
        obj=nrm,
        actor=actor,
        occurred_at=datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON),
        is_significant=is_significant,
    )


@transaction.atomic
def nrm_start(
    *, child: Child, considered_on: datetime.date, notes: str, actor: User
) -> NrmReferral:
    """Record that a referral to the NRM is being considered for the child."""
    if not can_record_nrm(actor, child):
        raise PermissionDenied
    _check_date(considered_on, field="considered_on", label=STEP_DATES["considered_on"])
    nrm = NrmReferral.objects.create(
        child=child, considered_on=considered_on, notes=notes.strip(), created_by=actor
    )
    _record_event(
        nrm,
        actor=actor,
        verb="nrm_considered",
        day=considered_on,
        summary="NRM referral considered",
    )
    return nrm


@transaction.atomic
def nrm_refer(
    *,
    nrm: NrmReferral,
    referred_on: datetime.date,
    first_responder_organisation: str,
    version: int,
    actor: User,
) -> NrmReferral:
    """Record the referral; the reasonable grounds decision is due 5 working days after it."""
    nrm = _lock(nrm, version=version, step=Step.REFER, actor=actor)
    _check_date(referred_on, field="referred_on", label=STEP_DATES["referred_on"], nrm=nrm)
    organisation = first_responder_organisation.strip()
    if not organisation:
        raise ValidationError(
            {"first_responder_organisation": "Enter the first responder organisation"}
        )
    nrm.status = Status.REFERRED
    nrm.referred_on = referred_on
    nrm.first_responder_organisation = organisation
    fields = ["status", "referred_on", "first_responder_organisation"]
    save_versioned(nrm, expected_version=version, fields=fields)
    summary = (
        f"NRM referral made by {organisation}; reasonable grounds decision due "
        f"{long_date(nrm_reasonable_grounds_due(referred_on))}"
    )
    _record_event(nrm, actor=actor, verb="nrm_referred", day=referred_on, summary=summary)
    return nrm


@transaction.atomic
def nrm_record_reasonable_grounds(
    *, nrm: NrmReferral, decision: str, decided_on: datetime.date, version: int, actor: User
) -> NrmReferral:
    """Record the reasonable grounds decision; a positive one starts the recovery period."""
    nrm = _lock(nrm, version=version, step=Step.REASONABLE_GROUNDS, actor=actor)
    _check_decision(decision)
    label = STEP_DATES["reasonable_grounds_on"]
    _check_date(decided_on, field="decided_on", label=label, nrm=nrm)
    positive = decision == Decision.POSITIVE
    nrm.status = Status.RECOVERY if positive else Status.RG_NEGATIVE
    nrm.reasonable_grounds_decision = decision
    nrm.reasonable_grounds_on = decided_on
    fields = ["status", "reasonable_grounds_decision", "reasonable_grounds_on"]
    save_versioned(nrm, expected_version=version, fields=fields)
    summary = f"{Decision(decision).label} reasonable grounds decision"
    if nrm.recovery_period_ends_on:
        summary += f"; recovery period to at least {long_date(nrm.recovery_period_ends_on)}"
    _record_event(
        nrm,
        actor=actor,
        verb="nrm_reasonable_grounds",
        day=decided_on,
        summary=summary,
        is_significant=positive,
    )
    return nrm


@transaction.atomic
def nrm_record_conclusive_grounds(
    *, nrm: NrmReferral, decision: str, decided_on: datetime.date, version: int, actor: User
) -> NrmReferral:
    """Record the conclusive grounds decision, made once the recovery period has started."""
    nrm = _lock(nrm, version=version, step=Step.CONCLUSIVE_GROUNDS, actor=actor)
    _check_decision(decision)
    label = STEP_DATES["conclusive_grounds_on"]
    _check_date(decided_on, field="decided_on", label=label, nrm=nrm)
    nrm.status = Status.CONCLUDED
    nrm.conclusive_grounds_decision = decision
    nrm.conclusive_grounds_on = decided_on
    fields = ["status", "conclusive_grounds_decision", "conclusive_grounds_on"]
    save_versioned(nrm, expected_version=version, fields=fields)
    _record_event(
        nrm,
        actor=actor,
        verb="nrm_conclusive_grounds",
        day=decided_on,
        summary=f"{Decision(decision).label} conclusive grounds decision",
        is_significant=decision == Decision.POSITIVE,
    )
    return nrm


@transaction.atomic
def nrm_request_reconsideration(
    *, nrm: NrmReferral, requested_on: datetime.date, version: int, actor: User
) -> NrmReferral:
    """Record a request to reconsider the negative decision; its outcome is recorded again."""
    nrm = _lock(nrm, version=version, step=Step.RECONSIDERATION, actor=actor)
    label = STEP_DATES["reconsideration_requested_on"]
    _check_date(requested_on, field="requested_on", label=label, nrm=nrm)
    which = "conclusive" if nrm.conclusive_grounds_decision else "reasonable"
    nrm.status = Status.RECONSIDERATION
    nrm.reconsideration_requested_on = requested_on
    fields = ["status", "reconsideration_requested_on"]
    save_versioned(nrm, expected_version=version, fields=fields)
    summary = f"Reconsideration of the negative {which} grounds decision requested"
    _record_event(
        nrm, actor=actor, verb="nrm_reconsideration_requested", day=requested_on, summary=summary
    )
    return nrm


@transaction.atomic
def nrm_withdraw(
    *, nrm: NrmReferral, withdrawn_on: datetime.date, version: int, actor: User
) -> NrmReferral:
    """Withdraw the NRM referral; possible at any point before a conclusive grounds decision."""
    nrm = _lock(nrm, version=version, step=Step.WITHDRAW, actor=actor)
    _check_date(withdrawn_on, field="withdrawn_on", label=WITHDRAWN_ON, nrm=nrm)
    nrm.status = Status.WITHDRAWN
    nrm.withdrawn_on = withdrawn_on
    save_versioned(nrm, expected_version=version, fields=["status", "withdrawn_on"])
    _record_event(
        nrm, actor=actor, verb="nrm_withdrawn", day=withdrawn_on, summary="NRM referral withdrawn"
    )
    return nrm
