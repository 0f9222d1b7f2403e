"""Synthetic case work through the real services: referrals, notes, missing episodes, NRM.

Going through the services means every rule, history row and chronology event is exactly what
a user's actions would make. Proportions are loosely those of a county's CRE caseload.
"""

import datetime
import random
from typing import cast

from django.db import transaction
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.accounts.roles import Role
from cre_portal.timescales import risk_review_due
from referrals.codes import (
    ExploitationIndicator,
    ExploitationType,
    MissingKind,
    PoliceRisk,
    RiskLevel,
)
from referrals.models import Child, Referral
from referrals.services import missing, notes, nrm, referrals
from risk_assessment.models import Assessment

SEED = 2027
SOURCES: dict[str, int] = {"6": 30, "2A": 20, "5A": 15, "1A": 10, "5B": 10, "3E": 5, "8": 10}
TYPES: dict[str, int] = {
    ExploitationType.CCE: 55,
    ExploitationType.CSE: 30,
    ExploitationType.BOTH: 15,
}
NOTE_TITLES = [
    "Home visit",
    "Strategy discussion",
    "School liaison call",
    "Police intelligence shared",
    "Child seen alone",
    "Call with carer",
]
INDICATORS = list(ExploitationIndicator.values)


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def seed_referrals(rng: random.Random, child: Child, manager: User) -> None:
    """One or two referrals over the last 14 months, most screened, some closed."""
    for received in sorted(rng.sample(range(10, 420), k=rng.choice([1, 1, 1, 2]))):
        referral = referrals.referral_create(
            child=child,
            actor=child.allocated_worker,
            received_on=days_ago(received),
            source=weighted(rng, SOURCES),
            exploitation_type=weighted(rng, TYPES),
            referrer_organisation="Northshire Police" if rng.random() < 0.3 else "",
        )
        if received < 14 and rng.random() < 0.5:
            continue  # still awaiting screening
        accepted = rng.random() < 0.8
        referrals.referral_screen(
            referral=referral,
            actor=manager,
            decision="ACCEPTED" if accepted else "NFA",
            screened_on=days_ago(received - rng.randint(1, 5)),
            rationale="Screened against the CRE threshold.",
        )
        if accepted and received > 120 and rng.random() < 0.4:
            referrals.referral_close(
                referral=referral,
                actor=manager,
                closed_on=days_ago(received - 100),
                reason=Referral.ClosureReason.RISK_REDUCED,
            )


def seed_missing(rng: random.Random, child: Child, officer: User) -> None:
    """A few missing episodes in the last six months; recent returns keep the RHI clock busy."""
    now = timezone.now()
    for hours_ago in sorted(rng.sample(range(20, 180 * 24), k=rng.randint(1, 4)), reverse=True):
        started = now - datetime.timedelta(hours=hours_ago)
        back = started + datetime.timedelta(hours=rng.randint(3, 40))
        episode = missing.missing_episode_create(
            child=child,
            actor=officer,
            kind=MissingKind.MISSING if rng.random() < 0.8 else MissingKind.AWAY,
            started_at=started,
            ended_at=back if back < now else None,
            police_risk=rng.choice(PoliceRisk.values),
            rhi_owner=officer,
        )
        interviewed = back + datetime.timedelta(hours=rng.randint(10, 110))
        if episode.ended_at and interviewed < now and rng.random() < 0.85:
            seed_interview(rng, episode, officer, interviewed)


def seed_interview(rng: random.Random, episode, officer: User, when: datetime.datetime) -> None:
    found = rng.sample(INDICATORS, k=rng.choice([0, 0, 1, 2, 3]))
    missing.return_interview_save(
        episode=episode,
        actor=officer,
        expected_version=episode.version,
        interview_version=0,
        offered="Y",
        accepted=True,
        declined_note="",
        completed_at=when,
        record={"interviewer": officer, "exploitation_indicators": found},
    )


def worker_of(child: Child) -> User:
    """Every demo child is allocated (people.demo_child), so the worker is never None."""
    return cast(User, child.allocated_worker)


def seed_notes(rng: random.Random, child: Child) -> None:
    for _ in range(rng.randint(0, 3)):
        notes.case_note_create(
            child=child,
            actor=worker_of(child),
            occurred_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 300)),
            title=rng.choice(NOTE_TITLES),
            text="Synthetic demo note: no real person is described.",
            is_significant=rng.random() < 0.2,
        )


def seed_nrm(rng: random.Random, child: Child) -> None:
    """An NRM referral at some stage of its journey."""
    worker = worker_of(child)
    record = nrm.nrm_start(child=child, considered_on=days_ago(60), notes="", actor=worker)
    if rng.random() < 0.8:
        record = nrm.nrm_refer(
            nrm=record,
            referred_on=days_ago(rng.choice([3, 12, 50])),
            first_responder_organisation="Northshire County Council",
            version=record.version,
            actor=worker,
        )
    if record.referred_on and record.referred_on < days_ago(10):
        nrm.nrm_record_reasonable_grounds(
            nrm=record,
            decision="POSITIVE",
            decided_on=record.referred_on + datetime.timedelta(days=4),
            version=record.version,
            actor=worker,
        )


LEVELS: dict[str, int] = {RiskLevel.LOW: 45, RiskLevel.MEDIUM: 35, RiskLevel.HIGH: 20}


def seed_assessment_history(rng: random.Random, child: Child) -> None:
    """Past assessment outcomes, as an import of assessments.csv brings them (no answers)."""
    first = child.referrals.order_by("received_on").values_list("received_on", flat=True).first()
    if first is None or rng.random() < 0.2:
        return
    day = first + datetime.timedelta(days=rng.randint(7, 30))
    latest: tuple[str, datetime.date] | None = None
    while day < timezone.localdate():
        assessment = Assessment.objects.create(
            assessment_ref=f"RA-DEMO-{child.child_ref[5:]}-{day:%Y%m%d}",
            child=child,
            origin=Assessment.Origin.IMPORT,
            exploitation_type=child.referrals.values_list("exploitation_type", flat=True)[0],
            level=weighted(rng, LEVELS),
            status=Assessment.Status.APPROVED,
            completed_on=day,
            created_by=worker_of(child),
        )
        latest = (assessment.level, day)
        day += datetime.timedelta(weeks=rng.choice([4, 8, 12]))
    if latest is not None:
        # What the approval and import services record on the child, in the same way.
        child.risk_level, child.risk_assessed_on = latest
        child.next_review_on = risk_review_due(*latest)
        child.save(update_fields=["risk_level", "risk_assessed_on", "next_review_on"])


@transaction.atomic
def seed_casework(users: dict[str, User]) -> None:
    """Case work for the demo children, once: skipped when they already have referrals."""
    children = Child.objects.filter(child_ref__startswith="DEMO-").select_related(
        "allocated_worker"
    )
    if Referral.objects.filter(child__in=children).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    for child in children:
        if rng.random() < 0.75:
            seed_referrals(rng, child, users[Role.SERVICE_MANAGER])
            seed_assessment_history(rng, child)
        if rng.random() < 0.35:
            seed_missing(rng, child, users[Role.MISSING_OFFICER])
        if rng.random() < 0.05:
            seed_nrm(rng, child)
        seed_notes(rng, child)
