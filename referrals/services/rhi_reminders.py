"""The daily return home interview reminder: one email per owner, never twice a day.

Emails carry case and episode references only, never a child's name: an email can be
forwarded, printed or read over a shoulder, and the link asks the reader to sign in.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.timescales import LONDON, local_date
from referrals.models import MissingEpisode, MissingEpisodeQuerySet
from referrals.services.missing import local_time_words, rhi_clock_label

logger = logging.getLogger(__name__)

REMINDER_WINDOW = datetime.timedelta(hours=24)


def _reminder_candidates(now: datetime.datetime) -> MissingEpisodeQuerySet:
    """Open interviews due within 24 hours not yet reminded, or overdue and not reminded today."""
    start_of_today = datetime.datetime.combine(local_date(now), datetime.time(), tzinfo=LONDON)
    due_soon = Q(
        rhi_due_at__gte=now,
        rhi_due_at__lt=now + REMINDER_WINDOW,
        rhi_due_soon_reminded_at__isnull=True,
    )
    overdue = Q(rhi_due_at__lt=now) & (
        Q(rhi_overdue_reminded_at__isnull=True) | Q(rhi_overdue_reminded_at__lt=start_of_today)
    )
    return MissingEpisode.objects.rhi_open().filter(
        due_soon | overdue, rhi_owner__isnull=False, rhi_owner__is_active=True
    )


def rhi_reminders_send(now: datetime.datetime | None = None) -> int:
    """Email each interview owner one list of their overdue and nearly due interviews."""
    now = now or timezone.now()
    owner_ids = list(
        _reminder_candidates(now).order_by().values_list("rhi_owner_id", flat=True).distinct()
    )
    sent = 0
    for owner_id in owner_ids:
        try:
            sent += _remind_owner(owner_id, now)
        except OSError:
            # SMTP trouble for one owner must not stop the others; tomorrow's run tries again.
            logger.exception("rhi_reminder_not_sent", extra={"owner_id": str(owner_id)})
    return sent


@transaction.atomic
def _remind_owner(owner_id: Any, now: datetime.datetime) -> int:
    """Lock, mark and send in one transaction: a failed send leaves them unmarked."""
    episodes = list(
        _reminder_candidates(now)
        .filter(rhi_owner_id=owner_id)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("child")
        .order_by("rhi_due_at")
    )
    if not episodes:
        return 0
    overdue = [e for e in episodes if e.rhi_due_at < now]  # type: ignore[operator]
    due_soon = [e for e in episodes if e.rhi_due_at >= now]  # type: ignore[operator]
    MissingEpisode.objects.filter(pk__in=[e.pk for e in overdue]).update(
        rhi_overdue_reminded_at=now
    )
    MissingEpisode.objects.filter(pk__in=[e.pk for e in due_soon]).update(
        rhi_due_soon_reminded_at=now
    )
    _send_reminder(User.objects.get(pk=owner_id), overdue=overdue, due_soon=due_soon, now=now)
    logger.info(
        "rhi_reminder_sent",
        extra={"owner_id": str(owner_id), "overdue": len(overdue), "due_soon": len(due_soon)},
    )
    return 1


def _reminder_rows(episodes: list[MissingEpisode], now: datetime.datetime) -> list[dict[str, str]]:
    # Case and episode references only: an email can end up anywhere, so never a child's name.
    return [
        {
            "child_ref": episode.child.child_ref,
            "episode_ref": episode.episode_ref,
            "returned_at": local_time_words(episode.ended_at),  # type: ignore[arg-type]
            "due_at": local_time_words(episode.rhi_due_at),  # type: ignore[arg-type]
            "clock": rhi_clock_label(episode.rhi_due_at - now),  # type: ignore[operator]
        }
        for episode in episodes
    ]


def _send_reminder(
    owner: User, *, overdue: list[MissingEpisode], due_soon: list[MissingEpisode], now: Any
) -> None:
    context = {
        "overdue": _reminder_rows(overdue, now),
        "due_soon": _reminder_rows(due_soon, now),
        "url": f"{settings.SITE_URL}{reverse('referrals:missing_dashboard')}?show=mine",
    }
    parts = []
    if overdue:
        parts.append(f"{len(overdue)} overdue")
    if due_soon:
        parts.append(f"{len(due_soon)} due within 24 hours")
    message = EmailMultiAlternatives(
        subject=f"Return home interviews: {' and '.join(parts)}",
        body=render_to_string("emails/rhi_reminder.txt", context),
        to=[owner.email],
    )
    message.attach_alternative(render_to_string("emails/rhi_reminder.html", context), "text/html")
    message.send(fail_silently=False)
