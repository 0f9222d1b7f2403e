"""Missing episodes, return home interviews (RHI) and their 72-hour clock.

Every write checks the actor's permission, runs in one transaction and adds the chronology
event. Summaries are made from codes, counts and times only, never from what was written.
The daily reminder email is in services.rhi_reminders.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    Value,
    When,
)
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import StaleEdit, changed_since, save_versioned
from cre_portal.references import insert_with_free_reference
from cre_portal.timescales import LONDON, local_date
from referrals.codes import (
    ExploitationIndicator,
    MissingKind,
    PoliceRisk,
    ReferralSource,
    RhiOffered,
)
from referrals.models import (
    Child,
    MissingEpisode,
    MissingEpisodeQuerySet,
    Referral,
    ReturnInterview,
)
from referrals.permissions.missing import (
    can_record_missing_episode,
    can_record_return_interview,
    can_start_referral_from_interview,
    visible_missing_episodes,
)
from referrals.services.referrals import referral_create

REF_PREFIX = "MISS-"
KIND_WORDS = {MissingKind.MISSING: "Missing", MissingKind.AWAY: "Away"}
HOUR = datetime.timedelta(hours=1)
REFERRAL_STARTED = "referral_started"
EMPTY_ANSWERS: dict[str, Any] = {"interviewer": None, "exploitation_indicators": []}
INTERVIEW_FIELDS = (
    "interviewer", "interviewer_name", "interviewer_role", "interviewer_agency",
    "push_factors", "pull_factors", "where_went", "who_with", "how_travelled", "harm",
    "child_words", "exploitation_indicators", "onward_actions",
)  # fmt: skip


# --- Words for times and codes ----------------------------------------------------------------
def _hours(delta: datetime.timedelta) -> str:
    hours = int(abs(delta) // HOUR)
    if hours >= 48:
        return f"{hours // 24} days"
    return "1 hour" if hours == 1 else f"{hours} hours"


def rhi_clock_label(time_left: datetime.timedelta) -> str:
    """'Due in 20 hours' or 'Overdue by 5 hours' (whole hours, rounded down)."""
    if time_left >= datetime.timedelta(0):
        return "Due in less than an hour" if time_left < HOUR else f"Due in {_hours(time_left)}"
    return (
        "Overdue by less than an hour" if -time_left < HOUR else f"Overdue by {_hours(time_left)}"
    )


def local_time_words(moment: datetime.datetime) -> str:
    """'27 Oct 2026 09:00', in London time."""
    return moment.astimezone(LONDON).strftime("%-d %b %Y %H:%M")


def _kind_words(kind: str) -> str:
    """'Missing (M)' or 'Away (A)': the 903 code with its meaning."""
    return f"{KIND_WORDS[MissingKind(kind)]} ({kind})"


# --- Reads for the pages ----------------------------------------------------------------------
def with_rhi_clock(episodes: MissingEpisodeQuerySet, now: datetime.datetime) -> Any:
    """Annotate time left to the 72-hour target (negative when overdue), worked out in SQL."""
    return episodes.annotate(
        time_left=ExpressionWrapper(F("rhi_due_at") - Value(now), output_field=DurationField()),
        is_overdue=Case(
            When(rhi_due_at__lt=Value(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def open_interviews(
    user: User, *, now: datetime.datetime, mine: bool = False, overdue_only: bool = False
) -> Any:
    """The missing-team list: open interviews the user may see, most overdue first."""
    episodes = visible_missing_episodes(user).rhi_open()
    if mine:
        episodes = episodes.filter(rhi_owner=user)
    if overdue_only:
        episodes = episodes.filter(rhi_due_at__lt=now)
    episodes = episodes.select_related("child", "rhi_owner")
    # Due time ascending is "overdue first, then by time left": the most overdue lead.
    return with_rhi_clock(episodes, now).order_by("rhi_due_at", "episode_ref")


def children_missing_now(user: User) -> MissingEpisodeQuerySet:
    """Episodes with no return yet, longest missing first."""
    episodes = visible_missing_episodes(user).filter(ended_at__isnull=True)
    return episodes.select_related("child").order_by("started_at", "episode_ref")


def rhi_state(episode: MissingEpisode, now: datetime.datetime) -> str:
    """Where the interview stands, in words for a list."""
    interview = getattr(episode, "return_interview", None)
    if episode.ended_at is None:
        return "Still missing"
    if interview is not None and interview.completed_at is not None:
        return "Completed"
    if episode.rhi_offered == RhiOffered.NOT_APPLICABLE:
        return "Not applicable"
    if episode.rhi_accepted is False:
        return "Declined"
    return rhi_clock_label(episode.rhi_due_at - now)  # type: ignore[operator]


def referral_started_event(episode: MissingEpisode) -> CaseEvent | None:
    """The chronology event of a CRE referral started from this episode's interview, if any."""
    return (
        CaseEvent.objects.filter(
            object_type=MissingEpisode._meta.label_lower,
            object_id=str(episode.pk),
            verb=REFERRAL_STARTED,
        )
        .select_related("actor")
        .first()
    )


# --- Recording an episode and the return ------------------------------------------------------
def _next_episode_ref() -> str:
    """The next MISS-<date>-<number> for today, like referral references."""
    prefix = f"{REF_PREFIX}{local_date(timezone.now()):%Y%m%d}-"
    number = MissingEpisode.objects.filter(episode_ref__startswith=prefix).count() + 1
    while MissingEpisode.objects.filter(episode_ref=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


def _utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    """In UTC: arithmetic on a Europe/London datetime is wall-clock time, not elapsed time.

    datetime + timedelta keeps the zone and adds to the local time, so 10:00 BST + 72 hours
    would be 10:00 GMT, 73 hours later; in UTC, due times and "hours after return" are exact.
    """
    return moment.astimezone(datetime.UTC) if moment is not None else None


def _check_times(started_at: datetime.datetime, ended_at: datetime.datetime | None) -> None:
    now = timezone.now()
    if started_at > now:
        raise ValidationError("The date and time they went missing must be in the past")
    if ended_at is not None and ended_at > now:
        raise ValidationError("The date and time they returned must be in the past")
    if ended_at is not None and ended_at < started_at:
        raise ValidationError(
            "The date of return must be the same as or after the date they went missing"
        )


def _record_return_event(episode: MissingEpisode, actor: User, *, verb: str) -> None:
    case_event_record(
        child_id=episode.child_id,
        category=CaseEvent.Category.MISSING,
        verb=verb,
        summary=(
            f"Returned from {KIND_WORDS[MissingKind(episode.kind)].lower()} ({episode.kind}) "
            "episode; "
            f"return home interview due {local_time_words(episode.rhi_due_at)}"  # type: ignore[arg-type]
        ),
        obj=episode,
        actor=actor,
        occurred_at=episode.ended_at,
    )


@transaction.atomic
def missing_episode_create(
    *,
    child: Child,
    actor: User,
    kind: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime | None = None,
    police_risk: str = "",
    where_found: str = "",
    rhi_owner: User | None = None,
) -> MissingEpisode:
    """Record a missing (M) or away (A) episode; a return starts the 72-hour interview clock."""
    if not can_record_missing_episode(actor, child):
        raise PermissionDenied
    started_at, ended_at = _utc(started_at), _utc(ended_at)  # type: ignore[assignment]
    _check_times(started_at, ended_at)
    episode = MissingEpisode(
        child=child,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        police_risk=police_risk,
        where_found=where_found,
        rhi_owner=rhi_owner or actor,
        created_by=actor,
    )
    episode.full_clean(exclude=["episode_ref", "child", "rhi_owner", "created_by"])
    insert_with_free_reference(episode, field="episode_ref", next_reference=_next_episode_ref)
    risk = PoliceRisk(police_risk).label.lower() if police_risk else "not graded"
    case_event_record(
        child_id=child.pk,
        category=CaseEvent.Category.MISSING,
        verb="recorded",
        summary=f"{_kind_words(kind)} episode recorded, police risk {risk}",
        obj=episode,
        actor=actor,
        occurred_at=started_at,
        is_significant=police_risk == PoliceRisk.HIGH,
    )
    if ended_at is not None:
        _record_return_event(episode, actor, verb="returned")
    _flag_repeat_missing(episode, actor)
    return episode


def _flag_repeat_missing(episode: MissingEpisode, actor: User) -> None:
    """Flag the child when this episode makes N episodes within the window ending at it."""
    days = settings.REPEAT_MISSING_DAYS
    count = MissingEpisode.objects.filter(
        child_id=episode.child_id,
        started_at__gte=episode.started_at - datetime.timedelta(days=days),
        started_at__lte=episode.started_at,
    ).count()
    if count < settings.REPEAT_MISSING_EPISODES:
        return
    now = timezone.now()
    flagged = Child.objects.filter(pk=episode.child_id, repeat_missing_since__isnull=True).update(
        repeat_missing_since=now, updated_at=now, version=F("version") + 1
    )
    if not flagged:
        return
    episode.child.repeat_missing_since = now
    case_event_record(
        child_id=episode.child_id,
        category=CaseEvent.Category.MISSING,
        verb="repeat_missing",
        summary=(
            f"Repeat missing: {count} episodes in {days} days — consider a strategy discussion"
        ),
        obj=episode,
        actor=actor,
        is_significant=True,
    )


@transaction.atomic
def missing_episode_record_return(
    *,
    episode: MissingEpisode,
    actor: User,
    ended_at: datetime.datetime,
    where_found: str,
    expected_version: int,
) -> MissingEpisode:
    """Record (or correct) when the child came back; that starts the 72-hour interview clock."""
    if not can_record_return_interview(actor, episode):
        raise PermissionDenied
    ended_at = _utc(ended_at)  # type: ignore[assignment]
    _check_times(episode.started_at, ended_at)
    first_return = episode.ended_at is None
    fields = ["ended_at", "where_found"]
    if episode.ended_at != ended_at:
        # A new due time deserves its own reminders.
        episode.rhi_due_soon_reminded_at = episode.rhi_overdue_reminded_at = None
        fields += ["rhi_due_soon_reminded_at", "rhi_overdue_reminded_at"]
    episode.ended_at, episode.where_found = ended_at, where_found
    save_versioned(episode, expected_version=expected_version, fields=fields)
    _record_return_event(episode, actor, verb="returned" if first_return else "return_corrected")
    return episode


# --- The return home interview ----------------------------------------------------------------
def _check_interview(
    episode: MissingEpisode, *, offered: str, accepted: bool | None, completed_at: Any
) -> None:
    if episode.ended_at is None:
        raise ValidationError("Record the child's return before the return home interview")
    if completed_at is None:
        return
    if offered != RhiOffered.YES or accepted is not True:
        raise ValidationError(
            "An interview can only have taken place if it was offered and accepted"
        )
    if completed_at < episode.ended_at or completed_at > timezone.now():
        raise ValidationError("The interview must be after the return and in the past")


def _stale_interview(
    stale: StaleEdit, interview: ReturnInterview | None, version: int
) -> StaleEdit:
    """Name the interview's changed fields too: the episode's version guards both rows."""
    if interview is None:
        return stale
    changed = changed_since(interview, version) if version else ["return home interview"]
    return StaleEdit(sorted({*stale.changed_fields, *changed}))


def _interview_events(
    episode: MissingEpisode,
    before: tuple[str, bool | None, Any],
    interview: ReturnInterview | None,
) -> list[dict[str, Any]]:
    """What changed, as chronology events: offered, accepted or declined, completed."""
    offered, accepted, completed_at = before
    events = []
    if episode.rhi_offered != offered:
        words = {"Y": "offered", "N": "recorded as not offered", "NA": "recorded as not applicable"}
        events.append({"verb": "rhi_offered", "summary": words[episode.rhi_offered]})
    if episode.rhi_accepted != accepted and episode.rhi_accepted is not None:
        verb = "accepted" if episode.rhi_accepted else "declined"
        events.append({"verb": f"rhi_{verb}", "summary": verb})
    if interview is not None and interview.completed_at is not None and completed_at is None:
        events.append(_completed_event(episode, interview))
    return events or [{"verb": "rhi_updated", "summary": "record updated"}]


def _completed_event(episode: MissingEpisode, interview: ReturnInterview) -> dict[str, Any]:
    hours = int((interview.completed_at - episode.ended_at) // HOUR)  # type: ignore[operator]
    summary = f"completed {hours} hour{'s' if hours != 1 else ''} after return"
    indicators = len(interview.exploitation_indicators)
    if indicators:
        summary += f"; {indicators} exploitation indicator{'s' if indicators != 1 else ''}"
    return {
        "verb": "rhi_completed",
        "summary": summary,
        "occurred_at": interview.completed_at,
        "is_significant": bool(indicators),
    }


def _save_interview_record(
    episode: MissingEpisode,
    interview: ReturnInterview | None,
    record: dict[str, Any],
    completed_at: Any,
) -> ReturnInterview | None:
    has_content = completed_at or any(record.get(name) for name in INTERVIEW_FIELDS)
    if interview is None and not has_content:
        return None
    interview = interview or ReturnInterview(episode=episode, version=0)
    for name in INTERVIEW_FIELDS:
        setattr(interview, name, record.get(name) or EMPTY_ANSWERS.get(name, ""))
    interview.completed_at = completed_at
    interview.version += 1
    interview.save()
    return interview


@transaction.atomic
def return_interview_save(
    *,
    episode: MissingEpisode,
    actor: User,
    expected_version: int,
    interview_version: int,
    offered: str,
    accepted: bool | None,
    declined_note: str,
    completed_at: datetime.datetime | None,
    record: dict[str, Any],
) -> MissingEpisode:
    """Record the offer, acceptance or refusal, and the interview with its CRE screen."""
    if not can_record_return_interview(actor, episode):
        raise PermissionDenied
    completed_at = _utc(completed_at)
    _check_interview(episode, offered=offered, accepted=accepted, completed_at=completed_at)
    offered_before, accepted_before = episode.rhi_offered, episode.rhi_accepted
    episode.rhi_offered, episode.rhi_accepted = offered, accepted
    episode.rhi_declined_note = declined_note if accepted is False else ""
    interviews = ReturnInterview.objects.filter(episode=episode)
    try:
        # The episode's version guards the interview row too: its lock serialises both.
        save_versioned(
            episode,
            expected_version=expected_version,
            fields=["rhi_offered", "rhi_accepted", "rhi_declined_note"],
        )
    except StaleEdit as stale:
        raise _stale_interview(stale, interviews.first(), interview_version) from None
    interview = interviews.first()
    before = (offered_before, accepted_before, interview and interview.completed_at)
    interview = _save_interview_record(episode, interview, record, completed_at)
    for event in _interview_events(episode, before, interview):
        event["summary"] = f"Return home interview {event['summary']}"
        case_event_record(
            child_id=episode.child_id,
            category=CaseEvent.Category.RHI,
            obj=episode,
            actor=actor,
            **event,
        )
    return episode


# --- Starting a CRE referral from a positive screen -------------------------------------------
def interview_concerns(episode: MissingEpisode, interview: ReturnInterview) -> str:
    """The referral's concerns: the indicator labels, never the interview's narrative."""
    labels = [ExploitationIndicator(code).label for code in interview.exploitation_indicators]
    when = interview.completed_at.astimezone(LONDON).strftime("%-d %B %Y")  # type: ignore[union-attr]
    lines = [f"Return home interview {episode.episode_ref} on {when} found:"]
    return "\n".join([*lines, *(f"- {label}" for label in labels)])


@transaction.atomic
def interview_referral_start(
    *,
    episode: MissingEpisode,
    actor: User,
    exploitation_type: str,
    source: str = ReferralSource.LA_CSC,
) -> Referral:
    """Start a CRE referral from an interview that screened positive, once per interview."""
    if not can_start_referral_from_interview(actor, episode):
        raise PermissionDenied
    episodes = MissingEpisode.objects.select_for_update(of=("self",)).with_related()
    episode = episodes.get(pk=episode.pk)
    interview = ReturnInterview.objects.filter(episode=episode, completed_at__isnull=False).first()
    if interview is None or not interview.screens_positive:
        raise ValidationError(
            "Only an interview that found exploitation indicators starts a referral"
        )
    if referral_started_event(episode) is not None:
        raise ValidationError("A CRE referral has already been started from this interview")
    referral = referral_create(
        child=episode.child,
        actor=actor,
        received_on=local_date(timezone.now()),
        source=source,
        exploitation_type=exploitation_type,
        referrer_name=actor.display_name,
        referrer_organisation=str(actor.team or ""),
        concerns=interview_concerns(episode, interview),
    )
    case_event_record(
        child_id=episode.child_id,
        category=CaseEvent.Category.RHI,
        verb=REFERRAL_STARTED,
        summary=f"CRE referral {referral.referral_ref} started from the return home interview",
        obj=episode,
        actor=actor,
    )
    return referral
