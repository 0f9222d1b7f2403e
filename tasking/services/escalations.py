"""Escalations one tier up, and the decisions that flow back down.

The chair of a group escalates a child, a subject of concern or an IMMEDIATE action from one of
its published or held meetings to the group it `escalates_to`, with a reason. The escalation is
RAISED; the agenda builder proposes it for the receiving group's next agenda and publishing
that agenda makes it ON_AGENDA (undecided ones are carried forward to later agendas). The
receiving chair records the outcome (DECIDED). The outcome flows back: it shows on the raising
group's pages at once, and the raising group's next agenda gets an ESCALATION item titled
"Outcome: ..." (see services/agenda.py).

COVERT actions cannot be escalated. Their seal is "the owning group's chair and its cleared
current members" (tasking.permissions.actions); the receiving group's members, its agenda, its
papers and the escalation itself would all reveal that the action exists. Extending the seal to
another group would mean a second covert condition, which is how seals leak, so we refuse: the
chair escalates the child or the subject instead, leaving the covert detail out of the reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from referrals.models import Child
from tasking.models import Action, Escalation, SubjectOfConcern, TaskingMeeting
from tasking.permissions.meetings import can_decide_escalation, can_raise_escalation
from tasking.services.actions import on_agenda
from tasking.services.meetings import check_status

MeetingStatus = TaskingMeeting.Status
COVERT_REFUSED = (
    "A covert action cannot be escalated: only this group's cleared members may know of it. "
    "Escalate the child or the subject instead, and leave the covert detail out of the reason"
)
ALREADY_OPEN = "This has already been escalated and is waiting for a decision"


def _child_of(escalation: Escalation) -> Child | None:
    if escalation.child is not None:
        return escalation.child
    return escalation.action.child if escalation.action is not None else None


def _event(escalation: Escalation, *, actor: User, verb: str, summary: str) -> None:
    child = _child_of(escalation)
    if child is None:
        return
    case_event_record(
        child_id=child.pk,
        category=CaseEvent.Category.MEETING,
        verb=verb,
        summary=summary,
        obj=escalation,
        actor=actor,
        is_significant=True,
    )


def _check_thing(
    meeting: TaskingMeeting,
    child: Child | None,
    subject: SubjectOfConcern | None,
    action: Action | None,
) -> None:
    if sum(thing is not None for thing in (child, subject, action)) != 1:
        raise ValidationError({"thing": "Select what you are escalating"})
    if action is not None and action.nature == Action.Nature.COVERT:
        raise ValidationError({"thing": COVERT_REFUSED})
    if action is not None and action.group_id != meeting.group_id:
        raise ValidationError({"thing": "Select one of this group's actions"})
    children, subjects = on_agenda(meeting)
    if child is not None and not children.filter(pk=child.pk).exists():
        raise ValidationError({"thing": "Select a child on this meeting's agenda"})
    if subject is not None and not subjects.filter(pk=subject.pk).exists():
        raise ValidationError({"thing": "Select a subject on this meeting's agenda"})


def _check_not_open(meeting: TaskingMeeting, **thing: object) -> None:
    undecided = Escalation.objects.filter(from_group=meeting.group, **thing).exclude(
        status=Escalation.Status.DECIDED
    )
    if undecided.exists():
        raise ValidationError({"thing": ALREADY_OPEN})


@transaction.atomic
def escalation_raise(
    *,
    meeting: TaskingMeeting,
    actor: User,
    reason: str,
    child: Child | None = None,
    subject: SubjectOfConcern | None = None,
    action: Action | None = None,
) -> Escalation:
    """Escalate a child, subject or immediate action from this meeting to the tier above."""
    if not can_raise_escalation(actor, meeting):
        raise PermissionDenied
    check_status(meeting, MeetingStatus.PUBLISHED, MeetingStatus.HELD)
    upper = meeting.group.escalates_to
    if upper is None or not upper.is_active:
        raise ValidationError("This group has no active group above it to escalate to")
    _check_thing(meeting, child, subject, action)
    _check_not_open(meeting, child=child, subject=subject, action=action)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are escalating it"})
    escalation = Escalation.objects.create(
        from_group=meeting.group,
        to_group=upper,
        child=child,
        subject=subject,
        action=action,
        reason=reason.strip(),
        raised_by=actor,
    )
    tier = upper.get_tier_display().lower()
    summary = f"Escalated to the {tier} tasking group"
    _event(escalation, actor=actor, verb="tasking_escalated", summary=summary)
    return escalation


@transaction.atomic
def escalation_decide(*, escalation: Escalation, actor: User, outcome: str) -> Escalation:
    """The receiving chair records the outcome; it flows back to the raising group."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status == Escalation.Status.DECIDED:
        raise ValidationError("This escalation has already been decided")
    if not can_decide_escalation(actor, escalation):
        raise PermissionDenied
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter the outcome of the escalation"})
    escalation.outcome = outcome.strip()
    escalation.status = Escalation.Status.DECIDED
    escalation.decided_on = timezone.localdate()
    escalation.decided_by = actor
    escalation.save(update_fields=["outcome", "status", "decided_on", "decided_by", "updated_at"])
    tier = escalation.to_group.get_tier_display().lower()
    summary = f"Escalation decided by the {tier} tasking group"
    _event(escalation, actor=actor, verb="tasking_escalation_decided", summary=summary)
    return escalation
