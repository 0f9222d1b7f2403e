"""Reading meeting feedback: a link's state, a child's links, and the managers' summary.

The summary is counted in SQL (one grouped query for the response rates, one aggregate for the
answers), over the links about children the manager can see whose meeting fell in the period.
Figures are internal, for authorised managers, so small numbers are shown as they are.
"""

import dataclasses
import datetime
import enum

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cre_portal.accounts.models import User
from referrals.models import Child
from risk_assessment.models import FeedbackLink, FeedbackResponse
from risk_assessment.permissions.feedback import visible_feedback_links

Kind = FeedbackLink.MeetingKind
Respondent = FeedbackLink.Respondent
Rating = FeedbackResponse.Rating

# The three questions, as the form asks them: (field, question).
QUESTIONS = (
    ("listened_to", "Did you feel listened to?"),
    ("understood", "Did you understand what was talked about?"),
    ("helped", "Did the meeting help?"),
)
# How the public form names a meeting: plain words, nothing from the child's record.
PUBLIC_MEETING_NAMES = {
    Kind.LAC_REVIEW: "looked-after child review meeting",
    Kind.CIN: "child in need meeting",
    Kind.CP: "child protection conference",
    Kind.PROFESSIONALS: "professionals' meeting",
}


class LinkState(enum.StrEnum):
    WAITING = "waiting"
    ANSWERED = "answered"
    EXPIRED = "expired"


def link_state(link: FeedbackLink, now: datetime.datetime | None = None) -> LinkState:
    """Answered whenever it was answered; otherwise waiting until it expires."""
    if link.used_at is not None:
        return LinkState.ANSWERED
    if link.expires_at <= (now or timezone.now()):
        return LinkState.EXPIRED
    return LinkState.WAITING


def public_meeting_name(link: FeedbackLink) -> str:
    return PUBLIC_MEETING_NAMES[Kind(link.meeting_kind)]


def child_feedback_links(child: Child) -> QuerySet[FeedbackLink]:
    """A child's links, newest first, each with its answer and who sent it."""
    return child.feedback_links.select_related("response", "created_by", "meeting")


# --- The managers' summary ----------------------------------------------------------------------
def links_in_period(
    user: User, *, start: datetime.date, end: datetime.date, meeting_kind: str = ""
) -> QuerySet[FeedbackLink]:
    """Links the user may see about meetings held from `start` to `end` inclusive."""
    links = visible_feedback_links(user).filter(meeting_on__range=(start, end))
    return links.filter(meeting_kind=meeting_kind) if meeting_kind else links


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclasses.dataclass(frozen=True)
class RateRow:
    """Links sent and answered for one kind of meeting and one kind of respondent."""

    meeting_kind: str
    respondent: str
    sent: int
    answered: int
    expired: int

    @property
    def rate(self) -> int | None:
        return percent(self.answered, self.sent)


def response_rates(links: QuerySet[FeedbackLink]) -> list[RateRow]:
    """One row per meeting kind and respondent that has links, in the order of the choices."""
    now = timezone.now()
    unanswered = Q(response__isnull=True)
    grouped = (
        links.order_by()
        .values("meeting_kind", "respondent")
        .annotate(
            sent=Count("pk"),
            answered=Count("response"),
            expired=Count("pk", filter=unanswered & Q(expires_at__lte=now)),
        )
    )
    rows = [
        RateRow(
            meeting_kind=Kind(row["meeting_kind"]).label,
            respondent=Respondent(row["respondent"]).label,
            sent=row["sent"],
            answered=row["answered"],
            expired=row["expired"],
        )
        for row in grouped
    ]
    kinds, respondents = list(Kind.labels), list(Respondent.labels)
    return sorted(
        rows, key=lambda r: (kinds.index(r.meeting_kind), respondents.index(r.respondent))
    )


def total_row(rows: list[RateRow]) -> RateRow:
    return RateRow(
        meeting_kind="All meetings",
        respondent="Everyone",
        sent=sum(row.sent for row in rows),
        answered=sum(row.answered for row in rows),
        expired=sum(row.expired for row in rows),
    )


@dataclasses.dataclass(frozen=True)
class AnswerCount:
    label: str
    count: int
    share: int | None


@dataclasses.dataclass(frozen=True)
class QuestionRow:
    """How many gave each answer to one question."""

    question: str
    answers: list[AnswerCount]
    total: int


def answer_distribution(links: QuerySet[FeedbackLink]) -> list[QuestionRow]:
    """For each question, the count of each answer; twelve filtered counts in one query."""
    counts = {
        f"{field}_{rating}": Count("pk", filter=Q(**{field: rating}))
        for field, _question in QUESTIONS
        for rating in Rating.values
    }
    totals = FeedbackResponse.objects.filter(link__in=links.values("pk")).aggregate(
        total=Count("pk"), **counts
    )
    total = totals["total"]
    return [
        QuestionRow(
            question=question,
            answers=[
                AnswerCount(
                    label=rating.label,
                    count=totals[f"{field}_{rating.value}"],
                    share=percent(totals[f"{field}_{rating.value}"], total),
                )
                for rating in Rating
            ],
            total=total,
        )
        for field, question in QUESTIONS
    ]


def comments_in_period(links: QuerySet[FeedbackLink]) -> QuerySet[FeedbackResponse]:
    """Answers that came with a comment, newest first, with the case reference to hand."""
    return (
        FeedbackResponse.objects.filter(link__in=links.values("pk"))
        .exclude(comments="")
        .select_related("link__child")
        .order_by("-created_at", "-pk")
    )
