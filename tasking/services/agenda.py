"""Agendas built from the data: what `agenda_draft` proposes, the chair's edits, publishing.

SCOPE (what each tier's agenda draws on):
- An OPERATIONAL group is the multi-agency panel for the whole area, so its agenda draws on ALL
  children in the authority, whichever team holds them:
  NEW_HIGH_RISK   children with an approved assessment at High completed after the group's last
                  HELD meeting (no such meeting: within the group's cadence window before today);
  REPEAT_MISSING  children who met the repeat-missing rule (`Child.repeat_missing_since`) after
                  the last held meeting (or within the cadence window);
  OVERDUE_RHI     children with a return home interview overdue now (one item per child);
  CLUSTER         subjects of concern with current (not ended) links to TWO or more children;
  ACTION_DUE      the group's open IMMEDIATE actions due within 7 days or overdue;
  ESCALATION      escalations received from the tier below not yet decided (RAISED, or carried
                  forward ON_AGENDA), and the outcomes of escalations this group raised that
                  have not yet been reported back on one of its agendas ("Outcome: ...").
- STRATEGIC and GOVERNANCE agendas draw ONLY on escalations (received, and outcomes of their own)
  and clusters of THREE or more children; and, like every group, on their own actions due, which
  are the group's own work rather than drawn from children's records.
COVERT actions never go on an agenda: agendas are read by every member and printed.

Titles are made from codes, references and dates only, never names. Why an item was proposed
is its kind (the rule, `REASONS`) plus its title (the facts). Re-running the draft adds only
items not already on this meeting's agenda (included or not), so the chair's edits stand.

Publishing shares every child on an included item with the group (`ChildShare`, audience
"tasking:<group id>"), so current members see them; leaving the group ends that sight.
"""

import dataclasses
import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from cre_portal.accounts.models import Agency, User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import save_versioned
from referrals.codes import RiskLevel
from referrals.models import Child, ChildShare, MissingEpisode
from risk_assessment.models import Assessment
from tasking.models import (
    Action,
    AgendaItem,
    ChildSubjectLink,
    Escalation,
    SubjectOfConcern,
    TaskingGroup,
    TaskingMeeting,
    Tier,
)
from tasking.services.meetings import check_status, lock_meeting, short_date
from tasking.services.subjects import subject_reference

Kind = AgendaItem.Kind
Status = TaskingMeeting.Status
ACTION_DUE_WITHIN = datetime.timedelta(days=7)
CLUSTER_SIZE: dict[str, int] = {Tier.OPERATIONAL: 2, Tier.STRATEGIC: 3, Tier.GOVERNANCE: 3}
POSITION_STEP = 10
REASONS: dict[str, str] = {
    Kind.NEW_HIGH_RISK: "Assessed at high risk since the group last met",
    Kind.REPEAT_MISSING: "Met the repeat-missing rule since the group last met",
    Kind.OVERDUE_RHI: "A return home interview is overdue",
    Kind.CLUSTER: "A subject of concern linked to several children",
    Kind.ACTION_DUE: "One of the group's actions is due within 7 days or overdue",
    Kind.ESCALATION: "Escalated from the tier below, or the outcome of one this group raised",
    Kind.OTHER: "Added by the chair",
}


@dataclasses.dataclass(frozen=True)
class Proposal:
    kind: str
    title: str
    child: Child | None = None
    subject: SubjectOfConcern | None = None
    action: Action | None = None
    escalation: Escalation | None = None

    def key(self) -> tuple:
        things = (self.child, self.subject, self.action, self.escalation)
        return (self.kind, *(_pk(thing) for thing in things))


def _pk(obj: object) -> object:
    return getattr(obj, "pk", None)


def subject_label(subject: SubjectOfConcern) -> str:
    """'Place of concern SUB-1A2B3C4D': the kind and the reference, never the name."""
    return f"{subject.get_kind_display()} of concern {subject_reference(subject)}"


# --- Where the window starts --------------------------------------------------------------------
def last_held_meeting(meeting: TaskingMeeting) -> TaskingMeeting | None:
    """The group's latest meeting held before this one."""
    held = TaskingMeeting.objects.filter(
        group_id=meeting.group_id, status=Status.HELD, scheduled_for__lt=meeting.scheduled_for
    )
    return held.exclude(pk=meeting.pk).order_by("-scheduled_for").first()


def window_start(meeting: TaskingMeeting, now: datetime.datetime) -> datetime.datetime:
    """Since the last held meeting; with none, the group's cadence before now."""
    last = last_held_meeting(meeting)
    if last is not None:
        return last.scheduled_for
    return now - datetime.timedelta(days=meeting.group.cadence_days)


# --- The sources --------------------------------------------------------------------------------
def new_high_risk(since: datetime.datetime) -> list[Proposal]:
    """Children with an approved High assessment completed after `since` (latest per child)."""
    since_day = timezone.localdate(since)
    approved = Assessment.objects.approved().filter(level=RiskLevel.HIGH)
    latest = (
        approved.filter(completed_on__gt=since_day).values("child").annotate(on=Max("completed_on"))
    )
    children = Child.objects.in_bulk([row["child"] for row in latest])
    return [
        Proposal(
            Kind.NEW_HIGH_RISK,
            f"{children[row['child']].child_ref}: newly assessed High on {short_date(row['on'])}",
            child=children[row["child"]],
        )
        for row in sorted(latest, key=lambda row: (row["on"], children[row["child"]].child_ref))
    ]


def repeat_missing(since: datetime.datetime) -> list[Proposal]:
    """Children who met the repeat-missing rule after `since`."""
    children = Child.objects.filter(repeat_missing_since__gt=since).order_by(
        "repeat_missing_since", "child_ref"
    )
    return [
        Proposal(
            Kind.REPEAT_MISSING,
            f"{child.child_ref}: repeat missing since {short_date(child.repeat_missing_since)}",
            child=child,
        )
        for child in children
        if child.repeat_missing_since is not None
    ]


def overdue_rhis(now: datetime.datetime) -> list[Proposal]:
    """One item per child whose return home interview is overdue: their earliest episode."""
    episodes = MissingEpisode.objects.rhi_overdue(now).select_related("child")
    episodes = episodes.order_by("rhi_due_at")
    first: dict[object, MissingEpisode] = {}
    for episode in episodes:
        first.setdefault(episode.child_id, episode)
    return [
        Proposal(
            Kind.OVERDUE_RHI,
            f"{episode.child.child_ref}: return home interview overdue "
            f"({episode.episode_ref}, due {short_date(episode.rhi_due_at)})",
            child=episode.child,
        )
        for episode in first.values()
        if episode.rhi_due_at is not None
    ]


def cluster_counts(minimum: int, today: datetime.date) -> dict[object, int]:
    """Subject id -> distinct children over current links, for subjects with at least `minimum`.

    One GROUP BY / HAVING query; a link ended on or before today no longer counts.
    """
    current = Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    rows = (
        ChildSubjectLink.objects.filter(current)
        .exclude(subject__status=SubjectOfConcern.Status.CLOSED)
        .values("subject")
        .annotate(children=Count("child", distinct=True))
        .filter(children__gte=minimum)
    )
    return {row["subject"]: row["children"] for row in rows}


def clusters(minimum: int, today: datetime.date) -> list[Proposal]:
    counts = cluster_counts(minimum, today)
    subjects = SubjectOfConcern.objects.in_bulk(list(counts))
    ordered = sorted(subjects.values(), key=lambda s: (-counts[s.pk], s.pk.hex))
    return [
        Proposal(
            Kind.CLUSTER,
            f"{subject_label(subject)}: linked to {counts[subject.pk]} children",
            subject=subject,
        )
        for subject in ordered
    ]


def actions_due(group: TaskingGroup, today: datetime.date) -> list[Proposal]:
    """The group's open immediate actions due within 7 days or overdue (covert ones never)."""
    actions = (
        Action.objects.open()
        .filter(group=group, nature=Action.Nature.IMMEDIATE, due_on__lte=today + ACTION_DUE_WITHIN)
        .select_related("child")
        .order_by("due_on", "created_at")
    )
    proposals = []
    for action in actions:
        state = "overdue since" if action.due_on < today else "due on"
        about = f"{action.child.child_ref}: " if action.child else ""
        title = (
            f"{about}Action {state} {short_date(action.due_on)} "
            f"({action.get_tactic_display()}, {agency_label(action.owner_agency)})"
        )
        proposals.append(Proposal(Kind.ACTION_DUE, title, child=action.child, action=action))
    return proposals


def agency_label(code: str) -> str:
    """The agency's name for a code such as POLICE; the code itself if it is not a known one."""
    return str(dict(Agency.choices).get(code, code))


def escalated_thing(escalation: Escalation) -> str:
    """What was escalated, by reference: a case reference, a subject or an action."""
    if escalation.child is not None:
        return escalation.child.child_ref
    if escalation.subject is not None:
        return subject_label(escalation.subject)
    action = escalation.action
    if action is None:  # ruled out by the escalation_of_exactly_one_thing constraint
        return "an escalation"
    return f"action due {short_date(action.due_on)} ({action.get_tactic_display()})"


def _escalation_proposal(escalation: Escalation, title: str) -> Proposal:
    action = escalation.action
    child = escalation.child or (action.child if action is not None else None)
    return Proposal(
        Kind.ESCALATION,
        title,
        child=child,
        subject=escalation.subject,
        action=action,
        escalation=escalation,
    )


def _escalations() -> models.QuerySet[Escalation]:
    related = ("from_group", "to_group", "child", "subject", "action", "action__child")
    return Escalation.objects.select_related(*related).order_by("created_at")


def escalations_received(group: TaskingGroup) -> list[Proposal]:
    """Escalations to this group not yet decided: new ones, and those carried forward."""
    open_ = _escalations().filter(to_group=group).exclude(status=Escalation.Status.DECIDED)
    return [
        _escalation_proposal(e, f"Escalated from {e.from_group.name}: {escalated_thing(e)}")
        for e in open_
    ]


def escalation_outcomes(group: TaskingGroup) -> list[Proposal]:
    """Decisions on this group's escalations not yet reported back on one of its agendas."""
    reported = AgendaItem.objects.filter(meeting__group=group, escalation__isnull=False)
    decided = _escalations().filter(from_group=group, status=Escalation.Status.DECIDED)
    decided = decided.exclude(pk__in=reported.values("escalation"))
    return [
        _escalation_proposal(
            e,
            f"Outcome: escalation of {escalated_thing(e)} to {e.to_group.name}, "
            f"decided {short_date(e.decided_on or timezone.localdate())}",
        )
        for e in decided
    ]


def proposals_for(meeting: TaskingMeeting, now: datetime.datetime) -> list[Proposal]:
    """Everything the agenda builder proposes for this meeting now, in agenda order."""
    group, today = meeting.group, timezone.localdate(now)
    proposals = escalations_received(group) + escalation_outcomes(group)
    if group.tier == Tier.OPERATIONAL:
        since = window_start(meeting, now)
        proposals += new_high_risk(since) + repeat_missing(since) + overdue_rhis(now)
    proposals += clusters(CLUSTER_SIZE[group.tier], today)
    return proposals + actions_due(group, today)


# --- Drafting and the chair's edits -------------------------------------------------------------
def _item_key(item: AgendaItem) -> tuple:
    return (item.kind, item.child_id, item.subject_id, item.action_id, item.escalation_id)


def _last_position(meeting: TaskingMeeting) -> int:
    return meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0


@transaction.atomic
def agenda_draft(
    *, meeting: TaskingMeeting, actor: User, now: datetime.datetime | None = None
) -> list[AgendaItem]:
    """Propose items from the data; only those not yet on this agenda are added, at the end."""
    meeting = lock_meeting(meeting, actor)
    check_status(meeting, Status.PLANNED)
    seen = {_item_key(item) for item in meeting.agenda_items.all()}
    position, new = _last_position(meeting), []
    for proposal in proposals_for(meeting, now or timezone.now()):
        if proposal.key() in seen:
            continue
        seen.add(proposal.key())
        position += POSITION_STEP
        new.append(
            AgendaItem(
                meeting=meeting,
                kind=proposal.kind,
                title=proposal.title[:200],
                child=proposal.child,
                subject=proposal.subject,
                action=proposal.action,
                escalation=proposal.escalation,
                position=position,
            )
        )
    return AgendaItem.objects.bulk_create(new)


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the item"})
    return title


@transaction.atomic
def agenda_item_add(*, meeting: TaskingMeeting, title: str, actor: User) -> AgendaItem:
    """The chair adds an item of their own at the end of the draft agenda."""
    meeting = lock_meeting(meeting, actor)
    check_status(meeting, Status.PLANNED)
    position = _last_position(meeting) + POSITION_STEP
    return AgendaItem.objects.create(
        meeting=meeting, kind=Kind.OTHER, title=_check_title(title), position=position
    )


def _renumber(meeting: TaskingMeeting, item: AgendaItem, number: int) -> None:
    """Put `item` at `number` (1 = first) and space the positions evenly again."""
    others = [i for i in meeting.agenda_items.order_by("position", "created_at") if i.pk != item.pk]
    number = min(max(number, 1), len(others) + 1)
    others.insert(number - 1, item)
    for index, each in enumerate(others, start=1):
        each.position = index * POSITION_STEP
    AgendaItem.objects.bulk_update(others, ["position"])


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    title: str,
    is_included: bool,
    number: int,
    version: int,
    actor: User,
) -> AgendaItem:
    """Reword, include or leave out, and move an item of the draft agenda (versioned by meeting)."""
    meeting = lock_meeting(item.meeting, actor)
    check_status(meeting, Status.PLANNED)
    item.title, item.is_included = _check_title(title), is_included
    save_versioned(meeting, expected_version=version, fields=[])
    item.save(update_fields=["title", "is_included", "updated_at"])
    _renumber(meeting, item, number)
    return item


# --- Publishing ---------------------------------------------------------------------------------
def _share(group: TaskingGroup, child_ids: Iterable[uuid.UUID]) -> None:
    """Members see the children on the group's published agendas (while they are members)."""
    audience = f"tasking:{group.pk}"
    shares = [ChildShare(child_id=child_id, audience=audience) for child_id in child_ids]
    ChildShare.objects.bulk_create(shares, ignore_conflicts=True)


@transaction.atomic
def agenda_publish(*, meeting: TaskingMeeting, actor: User) -> TaskingMeeting:
    """Send the agenda to members: escalations go on it, its children are shared with them."""
    meeting = lock_meeting(meeting, actor)
    check_status(meeting, Status.PLANNED)
    included = meeting.agenda_items.filter(is_included=True)
    if not included.exists():
        raise ValidationError("Add at least one item to the agenda before publishing it")
    meeting.status, meeting.agenda_published_at = Status.PUBLISHED, timezone.now()
    meeting.save(update_fields=["status", "agenda_published_at", "updated_at"])
    received = included.filter(escalation__to_group=meeting.group).values("escalation")
    Escalation.objects.filter(pk__in=received, status=Escalation.Status.RAISED).update(
        status=Escalation.Status.ON_AGENDA, updated_at=timezone.now()
    )
    child_ids = sorted(set(included.exclude(child=None).values_list("child_id", flat=True)))
    _share(meeting.group, child_ids)
    tier = meeting.group.get_tier_display().lower()
    for child_id in child_ids:
        case_event_record(
            child_id=child_id,
            category=CaseEvent.Category.MEETING,
            verb="tasking_agenda",
            summary=f"On the agenda of the {tier} tasking meeting of "
            f"{short_date(meeting.scheduled_for)}",
            obj=meeting,
            actor=actor,
        )
    return meeting
