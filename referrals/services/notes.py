"""Case notes on a child's record; each one is an entry on the chronology."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from referrals.models import CaseNote, Child
from referrals.permissions.referrals import can_add_case_note


@transaction.atomic
def case_note_create(
    *,
    child: Child,
    actor: User,
    occurred_at: datetime.datetime,
    title: str,
    text: str,
    is_significant: bool = False,
) -> CaseNote:
    """Write a note on the child's record; its chronology event carries the title, not the text."""
    if not can_add_case_note(actor, child):
        raise PermissionDenied
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "The note must be about something that has happened"})
    note = CaseNote(
        child=child,
        occurred_at=occurred_at,
        title=title.strip(),
        text=text.strip(),
        is_significant=is_significant,
        author=actor,
    )
    note.full_clean()
    note.save()
    # The title is the worker's own short heading, written knowing it appears on the timeline.
    case_event_record(
        child_id=child.pk,
        category=CaseEvent.Category.NOTE,
        verb="case_note_added",
        summary=note.title,
        obj=note,
        actor=actor,
        occurred_at=occurred_at,
        is_significant=is_significant,
    )
    return note
