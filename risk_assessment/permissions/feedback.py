"""Who may ask for, read and answer meeting feedback. The only home of these rules.

Staff see a feedback link (and its answers) when they may open the child's record. Asking for
feedback needs the `book_meeting` capability as well; the summary across children is for the
managers (the `approve_assessment` capability), over the children they can see. The family
member who answers has no account: holding the link's token is their only right, and only while
the link is unexpired and unanswered.
"""

import hashlib
import re

from django.db.models import QuerySet

from cre_portal.accounts.models import User
from referrals.models import Child
from referrals.permissions.children import visible_children
from risk_assessment.models import FeedbackLink

REQUEST_FEEDBACK = "risk_assessment.book_meeting"
# No dedicated capability yet: the managers' capability closest to "read the service's feedback".
VIEW_FEEDBACK_SUMMARY = "risk_assessment.approve_assessment"
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def visible_feedback_links(user: User) -> QuerySet[FeedbackLink]:
    """Feedback links about the children the user may see."""
    children = visible_children(user).values("pk")
    return FeedbackLink.objects.filter(child__in=children)


def can_request_feedback(user: User, child: Child) -> bool:
    """Creating a feedback link: the meeting capability, and the child in scope."""
    if not user.has_perm(REQUEST_FEEDBACK):
        return False
    return visible_children(user).filter(pk=child.pk).exists()


def can_view_feedback_summary(user: User) -> bool:
    """The service-wide summary of feedback: team, service and child-protection managers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(VIEW_FEEDBACK_SUMMARY)


def token_digest(token: str) -> str:
    """The SHA-256 of a link's token, as stored: the token itself is never kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def feedback_links_for_token(token: str) -> QuerySet[FeedbackLink]:
    """The link a token opens (at most one), answered or expired alike: callers tell those apart,
    so that unknown and expired links can get the same neutral page."""
    # Malformed tokens are refused without a query; the rest by an indexed lookup of the hash,
    # so nothing is compared character by character and the timing tells nothing.
    if not TOKEN_PATTERN.fullmatch(token):
        return FeedbackLink.objects.none()
    return FeedbackLink.objects.filter(token_hash=token_digest(token))
