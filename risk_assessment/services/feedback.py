"""Meeting feedback: single-use links for children, parents and carers, and their answers.

A link's token is made here and handed back once, for the worker to send; only its SHA-256 is
stored, so nobody who reads the database (or a backup) can answer in a family's name. Answering
locks the link's row, so two submissions at the same moment cannot both be taken.
"""

import dataclasses
import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.timescales import local_date
from referrals.models import Child
from risk_assessment.models import FeedbackLink, FeedbackResponse, ProfessionalsMeeting
from risk_assessment.permissions.feedback import (
    can_request_feedback,
    feedback_links_for_token,
    token_digest,
)

Kind = FeedbackLink.MeetingKind
Respondent = FeedbackLink.Respondent
Rating = FeedbackResponse.Rating

LINK_LIFETIME = datetime.timedelta(days=30)
TOKEN_BYTES = 32  # 256 bits: guessing is hopeless, so no rate limit is needed on the form.
COMMENTS_MAX = 2000

# How the chronology names them: codes only, never what anyone wrote.
MEETING_NAMES = {
    Kind.LAC_REVIEW: "LAC review",
    Kind.CIN: "CIN meeting",
    Kind.CP: "CP conference",
    Kind.PROFESSIONALS: "professionals' meeting",
}
RESPONDENT_NAMES = {
    Respondent.CHILD: "child",
    Respondent.PARENT: "parent",
    Respondent.CARER: "carer",
}


class FeedbackLinkUnavailable(Exception):
    """Unknown, malformed or expired: whoever holds it sees the same neutral page."""


class FeedbackAlreadyGiven(Exception):
    """The link has been answered; it takes one answer only."""


@dataclasses.dataclass(frozen=True)
class NewFeedbackLink:
    """A link just made, with the only copy of its address."""

    link: FeedbackLink
    url: str


def long_date(day: datetime.date) -> str:
    """A date as GOV.UK writes it: 3 December 2026."""
    return f"{day.day} {day:%B %Y}"


def feedback_url(token: str) -> str:
    """The full public address of the form a token opens."""
    return settings.SITE_URL + reverse("risk_assessment:feedback_respond", args=[token])


def _check_professionals_meeting(
    child: Child, meeting: ProfessionalsMeeting | None, meeting_on: datetime.date | None
) -> datetime.date:
    """The meeting must be one of this child's that was not cancelled; the date is its date."""
    if meeting is None:
        raise ValidationError({"meeting": "Select the professionals' meeting"})
    if meeting.child_id != child.pk:
        raise ValidationError({"meeting": "Select one of this child's professionals' meetings"})
    if meeting.status == ProfessionalsMeeting.Status.CANCELLED:
        raise ValidationError({"meeting": "That meeting was cancelled: select one that was held"})
    held_on = local_date(meeting.scheduled_for)
    if meeting_on is not None and meeting_on != held_on:
        raise ValidationError(
            {
                "meeting_on": "The date of the meeting must be the date of the professionals' "
                f"meeting you selected ({long_date(held_on)})"
            }
        )
    return held_on


def _check_meeting(
    child: Child,
    *,
    meeting_kind: str,
    meeting: ProfessionalsMeeting | None,
    meeting_on: datetime.date | None,
) -> datetime.date:
    """The kind is known, a professionals' meeting is named, and the meeting has taken place."""
    if meeting_kind not in Kind.values:
        raise ValidationError({"meeting_kind": "Select the kind of meeting"})
    if meeting_kind == Kind.PROFESSIONALS:
        meeting_on = _check_professionals_meeting(child, meeting, meeting_on)
    elif meeting is not None:
        raise ValidationError(
            {"meeting": "Only a professionals' meeting is selected from the list"}
        )
    if meeting_on is None:
        raise ValidationError({"meeting_on": "Enter the date of the meeting"})
    if meeting_on > timezone.localdate():
        raise ValidationError(
            {"meeting_on": "The date of the meeting must be today or in the past"}
        )
    return meeting_on


@transaction.atomic
def feedback_link_create(
    *,
    child: Child,
    actor: User,
    meeting_kind: str,
    respondent: str,
    meeting_on: datetime.date | None = None,
    meeting: ProfessionalsMeeting | None = None,
) -> NewFeedbackLink:
    """Make a single-use feedback link for a child's meeting; the address is returned only here."""
    if not can_request_feedback(actor, child):
        raise PermissionDenied
    held_on = _check_meeting(
        child, meeting_kind=meeting_kind, meeting=meeting, meeting_on=meeting_on
    )
    if respondent not in Respondent.values:
        raise ValidationError({"respondent": "Select who the feedback is from"})
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = FeedbackLink.objects.create(
        token_hash=token_digest(token),
        child=child,
        meeting_kind=meeting_kind,
        meeting=meeting,
        meeting_on=held_on,
        respondent=respondent,
        created_by=actor,
        expires_at=timezone.now() + LINK_LIFETIME,
    )
    case_event_record(
        child_id=child.pk,
        category=CaseEvent.Category.MEETING,
        verb="feedback_requested",
        summary=f"Feedback requested from {_after(link)}",
        obj=link,
        actor=actor,
    )
    return NewFeedbackLink(link=link, url=feedback_url(token))


def _after(link: FeedbackLink) -> str:
    """ "parent after CP conference" """
    respondent = RESPONDENT_NAMES[Respondent(link.respondent)]
    return f"{respondent} after {MEETING_NAMES[Kind(link.meeting_kind)]}"


def _check_ratings(**ratings: int) -> None:
    errors = {
        name: "Select an answer" for name, value in ratings.items() if value not in Rating.values
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def feedback_respond(
    *, token: str, listened_to: int, understood: int, helped: int, comments: str = ""
) -> FeedbackResponse:
    """Take the one answer a link allows, from whoever holds it (no account, so no actor)."""
    # The row lock makes a second submission wait here, then find the link answered.
    link = feedback_links_for_token(token).select_for_update().first()
    if link is None:
        raise FeedbackLinkUnavailable
    if link.used_at is not None:
        raise FeedbackAlreadyGiven
    now = timezone.now()
    if link.expires_at <= now:
        raise FeedbackLinkUnavailable
    _check_ratings(listened_to=listened_to, understood=understood, helped=helped)
    if len(comments) > COMMENTS_MAX:
        raise ValidationError({"comments": "Your answer must be 2,000 characters or fewer"})
    response = FeedbackResponse.objects.create(
        link=link,
        listened_to=listened_to,
        understood=understood,
        helped=helped,
        comments=comments.strip(),
    )
    link.used_at = now
    link.save(update_fields=["used_at", "updated_at"])
    case_event_record(
        child_id=link.child_id,
        category=CaseEvent.Category.MEETING,
        verb="feedback_received",
        summary=f"Feedback received from {_after(link)}",
        obj=link,
        actor=None,
    )
    return response
