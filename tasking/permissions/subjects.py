"""Who may see and record subjects of concern and their links. The only home of these rules."""

from typing import Any

from django.db.models import Q, QuerySet

from cre_portal.accounts.models import User
from referrals.models import Child
from referrals.permissions.children import visible_children
from tasking.models import (
    AgendaItem,
    ChildSubjectLink,
    SubjectAssociation,
    SubjectOfConcern,
    TaskingGroup,
    TaskingMeeting,
)

RECORD_SUBJECT = "tasking.record_subject"
SEES_EVERY_CHILD = "referrals.view_all_children"
# Partner agency members and tasking chairs: they see what their groups share with them.
SEES_SHARED = "referrals.view_shared_children"
# An agenda is shared from publication on, and stays shared once the meeting has been held.
SHARED_AGENDA_STATES = (TaskingMeeting.Status.PUBLISHED, TaskingMeeting.Status.HELD)


def visible_subjects(user: User) -> QuerySet[SubjectOfConcern]:
    """The subjects of concern whose records the user may open.

    - nobody signed out or deactivated;
    - service managers, CP managers and missing officers (who see every child): every subject;
    - nobody else without the record-subject capability;
    - everyone else: the subjects they recorded themselves, and
      - partners and tasking chairs: subjects on published agendas of groups they are in now;
      - council case workers: subjects linked to children whose records they may open.
    """
    if not user.is_authenticated or not user.is_active:
        return SubjectOfConcern.objects.none()
    if user.has_perm(SEES_EVERY_CHILD):
        return SubjectOfConcern.objects.all()
    if not user.has_perm(RECORD_SUBJECT):
        return SubjectOfConcern.objects.none()
    scope = Q(created_by=user)
    if user.has_perm(SEES_SHARED):
        scope |= Q(pk__in=_on_shared_agendas(user))
    else:
        scope |= Q(pk__in=_linked_to_visible_children(user))
    return SubjectOfConcern.objects.filter(scope)


def groups_in_now(user: User) -> QuerySet[TaskingGroup]:
    """Groups the user chairs or is a member of today (not those they have left)."""
    current_member = Q(memberships__user=user, memberships__left_on__isnull=True)
    return TaskingGroup.objects.filter(Q(chair=user) | current_member)


def _on_shared_agendas(user: User) -> QuerySet[AgendaItem, Any]:
    return AgendaItem.objects.filter(
        is_included=True,
        subject__isnull=False,
        meeting__status__in=SHARED_AGENDA_STATES,
        meeting__group__in=groups_in_now(user),
    ).values("subject")


def _linked_to_visible_children(user: User) -> QuerySet[ChildSubjectLink, Any]:
    # Ended links count: the subject stays part of the child's history.
    return ChildSubjectLink.objects.filter(child__in=visible_children(user)).values("subject")


def can_record_subject(user: User) -> bool:
    """Add subjects of concern (then edit and link those the user can see)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(RECORD_SUBJECT)


def sees_subject(user: User, subject: SubjectOfConcern) -> bool:
    return visible_subjects(user).filter(pk=subject.pk).exists()


def can_edit_subject(user: User, subject: SubjectOfConcern) -> bool:
    """Edit, and link children and other subjects to, a subject the user can see."""
    return can_record_subject(user) and sees_subject(user, subject)


def can_link_child(user: User, subject: SubjectOfConcern, child: Child) -> bool:
    """Link a child the user can see to a subject the user can edit."""
    if not can_edit_subject(user, subject):
        return False
    return visible_children(user).filter(pk=child.pk).exists()


def visible_child_links(user: User) -> QuerySet[ChildSubjectLink]:
    """Links whose child and subject the user may both open."""
    return ChildSubjectLink.objects.filter(
        child__in=visible_children(user), subject__in=visible_subjects(user)
    )


def visible_associations(user: User) -> QuerySet[SubjectAssociation]:
    """Associations whose two subjects the user may both open."""
    subjects = visible_subjects(user)
    return SubjectAssociation.objects.filter(subject__in=subjects, other__in=subjects)


def can_end_child_link(user: User, link: ChildSubjectLink) -> bool:
    """End a link between a child and a subject the user can both see."""
    if not can_record_subject(user):
        return False
    return visible_child_links(user).filter(pk=link.pk).exists()


def can_end_association(user: User, association: SubjectAssociation) -> bool:
    """End an association between two subjects the user can see."""
    if not can_record_subject(user):
        return False
    return visible_associations(user).filter(pk=association.pk).exists()
