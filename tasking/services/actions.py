"""Tasking actions: disruption tactics agreed at a meeting, owned by an agency and a person.

An action is IMMEDIATE or COVERT. An immediate action about a child goes on the child's
chronology (agreed, done, cancelled); a covert one NEVER does, and its owner must be someone
cleared to see it (the group's chair or a current member with covert clearance), so the seal
in `tasking.permissions.actions` holds for everyone who touches it. Edits are versioned.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from cre_portal.accounts.models import Agency, User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import save_versioned
from referrals.models import Child
from tasking.models import Action, SubjectOfConcern, Tactic, TaskingMeeting
from tasking.permissions.actions import can_create_action, can_update_action, may_own_covert_action
from tasking.permissions.groups import is_current_member
from tasking.services.meetings import check_status, short_date

Nature = Action.Nature
ActionStatus = Action.Status
MeetingStatus = TaskingMeeting.Status
# Examples from the Home Office disruption toolkit, offered as suggestions for the detail.
TACTIC_EXAMPLES: dict[str, tuple[str, ...]] = {
    Tactic.ABDUCTION_TRAFFICKING: (
        "Child Abduction Warning Notice",
        "Slavery and Trafficking Risk Order",
    ),
    Tactic.SEXUAL_OFFENCES: ("Sexual Risk Order", "Sexual Harm Prevention Order"),
    Tactic.LOCATIONS: ("Closure notice", "Hotel guest information request", "Licensing review"),
    Tactic.HARMFUL_BEHAVIOUR: ("Community Protection Notice", "Criminal Behaviour Order"),
    Tactic.VICTIM_CARE: ("Safety planning with the child", "Referral to a specialist service"),
}
NOT_A_MEMBER = "The owner must be the chair or a member of the group"
COVERT_OWNER = (
    "The owner of a covert action must be the chair or a member of the group with covert clearance"
)


def on_agenda(
    meeting: TaskingMeeting,
) -> tuple[models.QuerySet[Child], models.QuerySet[SubjectOfConcern]]:
    """The children and subjects on the meeting's included agenda items: what actions are about."""
    items = meeting.agenda_items.filter(is_included=True)
    children = Child.objects.filter(pk__in=items.values("child")).order_by("child_ref")
    subjects = SubjectOfConcern.objects.filter(pk__in=items.values("subject")).order_by("pk")
    return children, subjects


def _event(action: Action, *, actor: User, verb: str, summary: str) -> None:
    """Immediate actions about a child go on its chronology; covert ones leave no trace there."""
    if action.child_id is None or action.nature == Nature.COVERT:
        return
    case_event_record(
        child_id=action.child_id,
        category=CaseEvent.Category.ACTION,
        verb=verb,
        summary=summary,
        obj=action,
        actor=actor,
    )


def _check_about(
    meeting: TaskingMeeting, child: Child | None, subject: SubjectOfConcern | None
) -> None:
    children, subjects = on_agenda(meeting)
    if child is not None and not children.filter(pk=child.pk).exists():
        raise ValidationError({"child": "Select a child on this meeting's agenda"})
    if subject is not None and not subjects.filter(pk=subject.pk).exists():
        raise ValidationError({"subject": "Select a subject on this meeting's agenda"})


def _check_fields(
    meeting: TaskingMeeting, *, description: str, owner_agency: str, due_on: datetime.date
) -> None:
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Enter what needs to be done"
    if owner_agency not in Agency.values:
        errors["owner_agency"] = "Select the agency that owns the action"
    if due_on < timezone.localdate(meeting.scheduled_for):
        errors["due_on"] = "The due date must be the same as or after the date of the meeting"
    if errors:
        raise ValidationError(errors)


def _check_owner(meeting: TaskingMeeting, nature: str, owner: User | None) -> None:
    """Owners are the chair or current members (who see the action); covert: cleared ones."""
    if owner is None:
        return
    if nature == Nature.COVERT and not may_own_covert_action(owner, meeting.group):
        raise ValidationError({"owner": COVERT_OWNER})
    if owner.pk != meeting.group.chair_id and not is_current_member(owner, meeting.group):
        raise ValidationError({"owner": NOT_A_MEMBER})


@transaction.atomic
def action_create(
    *,
    meeting: TaskingMeeting,
    actor: User,
    description: str,
    tactic: str,
    tactic_detail: str,
    nature: str,
    owner_agency: str,
    owner: User | None,
    due_on: datetime.date,
    child: Child | None = None,
    subject: SubjectOfConcern | None = None,
) -> Action:
    """Record an action agreed at a published or held meeting of the group."""
    if not can_create_action(actor, meeting):
        raise PermissionDenied
    check_status(meeting, MeetingStatus.PUBLISHED, MeetingStatus.HELD)
    _check_fields(meeting, description=description, owner_agency=owner_agency, due_on=due_on)
    _check_owner(meeting, nature, owner)
    _check_about(meeting, child, subject)
    action = Action(
        group=meeting.group,
        meeting=meeting,
        child=child,
        subject=subject,
        description=description.strip(),
        tactic=tactic,
        tactic_detail=tactic_detail.strip(),
        nature=nature,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    summary = f"Tasking action agreed: {action.get_tactic_display()}, due {short_date(due_on)}"
    _event(action, actor=actor, verb="tasking_action_agreed", summary=summary)
    return action


@transaction.atomic
def action_update(
    *, action: Action, actor: User, status: str, outcome: str, version: int
) -> Action:
    """Progress an action: its status and what came of it. Done stamps today's date."""
    if not can_update_action(actor, action):
        raise PermissionDenied
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Select the status of the action"})
    old_status = action.status
    action.status, action.outcome = status, outcome.strip()
    done = status == ActionStatus.DONE
    action.completed_on = (action.completed_on or timezone.localdate()) if done else None
    save_versioned(action, expected_version=version, fields=["status", "outcome", "completed_on"])
    if status != old_status and status in (ActionStatus.DONE, ActionStatus.CANCELLED):
        verb = "tasking_action_done" if done else "tasking_action_cancelled"
        state = "done" if done else "cancelled"
        summary = f"Tasking action {state}: {action.get_tactic_display()}"
        _event(action, actor=actor, verb=verb, summary=summary)
    return action
