"""Report schedules: which period is due, requesting it, and telling the recipients once.

Periods: six-monthly ones are the council's half-years, 1 October to 31 March and 1 April to
30 September; monthly ones are calendar months. A schedule's report is due `days_after` days
after its period ends, and never before the period is over (so 0 means the day after the end).
The recipients get one email per period, with a link to the run's page: never the file, never
anything about a child.
"""

import dataclasses
import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.concurrency import save_versioned
from reports.models import Cadence, ReportRun, ReportSchedule
from reports.permissions.runs import (
    can_manage_report_schedules,
    can_view_exact_figures,
    can_view_reports,
)
from reports.services.runs import report_run_request

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)
SCHEDULE_FIELDS = ["kind", "name", "cadence", "days_after", "exact", "active"]


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def period_ending_by(cadence: str, day: datetime.date) -> Period:
    """The latest whole period of the cadence that ends on or before `day`."""
    if cadence == Cadence.MONTHLY:
        end = day if (day + ONE_DAY).day == 1 else _month_start(day) - ONE_DAY
        return Period(_month_start(end), end)
    september, march = datetime.date(day.year, 9, 30), datetime.date(day.year, 3, 31)
    if day >= september:
        return Period(datetime.date(day.year, 4, 1), september)
    if day >= march:
        return Period(datetime.date(day.year - 1, 10, 1), march)
    return Period(datetime.date(day.year - 1, 4, 1), datetime.date(day.year - 1, 9, 30))


def latest_completed_period(cadence: str, today: datetime.date) -> Period:
    """The latest period of the cadence that is over by `today` (it ended yesterday or before)."""
    return period_ending_by(cadence, today - ONE_DAY)


def due_period(schedule: ReportSchedule, today: datetime.date) -> Period | None:
    """The period the schedule's report is due for today, or None if it has been announced."""
    # Due once `days_after` days have passed since the end, and the period is over.
    latest_end = min(today - datetime.timedelta(days=schedule.days_after), today - ONE_DAY)
    period = period_ending_by(schedule.cadence, latest_end)
    done = schedule.last_generated_period_end
    if done is not None and period.end <= done:
        return None
    return period


# --- The daily job and the announcement -------------------------------------------------------
def report_schedules_run_due(today: datetime.date | None = None) -> int:
    """Request each active schedule's due report; announce it if it is ready. Safe to repeat."""
    today = today or timezone.localdate()
    requested = 0
    for schedule in ReportSchedule.objects.filter(active=True):
        period = due_period(schedule, today)
        if period is None:
            continue
        # The same request made again finds the run already made (or being made).
        run, _ = report_run_request(
            actor=None,
            kind=schedule.kind,
            period_start=period.start,
            period_end=period.end,
            exact=schedule.exact,
        )
        requested += 1
        if run.status == ReportRun.Status.DONE:
            _announce_safely(schedule, run, today)
    return requested


def report_schedules_notify_done(run: ReportRun, today: datetime.date | None = None) -> int:
    """Tell the recipients of every schedule waiting for this finished run; returns how many."""
    today = today or timezone.localdate()
    schedules = ReportSchedule.objects.filter(active=True, kind=run.kind, exact=run.exact)
    return sum(_announce_safely(schedule, run, today) for schedule in schedules)


def _announce_safely(schedule: ReportSchedule, run: ReportRun, today: datetime.date) -> bool:
    try:
        return _announce(schedule, run, today)
    except OSError:
        # Mail trouble: nothing is marked, so the next daily run announces it.
        logger.exception("report_schedule_not_announced", extra={"schedule_id": str(schedule.pk)})
        return False


@transaction.atomic
def _announce(schedule: ReportSchedule, run: ReportRun, today: datetime.date) -> bool:
    """Lock, check, mark and send in one transaction: once per period, and a failed send
    leaves the period unmarked."""
    schedule = ReportSchedule.objects.select_for_update().get(pk=schedule.pk)
    period = due_period(schedule, today)
    if not schedule.active or period != Period(run.period_start, run.period_end):
        return False
    schedule.last_generated_period_end = run.period_end
    # Not a user's edit: the version stays, so nobody's open edit form is refused for this.
    schedule.save(update_fields=["last_generated_period_end", "updated_at"])
    _send_report_ready(_recipients(schedule, run), run)
    logger.info("report_schedule_announced", extra={"schedule_id": str(schedule.pk)})
    return True


def _recipients(schedule: ReportSchedule, run: ReportRun) -> list[User]:
    """Those who could open the run today: rights may have changed since they were chosen."""
    can_open = can_view_exact_figures if run.exact else can_view_reports
    return [user for user in schedule.recipients.filter(is_active=True) if can_open(user)]


def _send_report_ready(recipients: Iterable[User], run: ReportRun) -> None:
    context = {
        "kind": run.get_kind_display(),
        "period_start": run.period_start,
        "period_end": run.period_end,
        "exact": run.exact,
        "url": f"{settings.SITE_URL}{reverse('reports:run_detail', args=[run.pk])}",
    }
    subject = f"Report ready: {context['kind']}"
    text = render_to_string("emails/report_ready.txt", context)
    html = render_to_string("emails/report_ready.html", context)
    messages = []
    for user in recipients:
        message = mail.EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    with mail.get_connection(fail_silently=False) as connection:
        connection.send_messages(messages)


# --- Keeping the schedules --------------------------------------------------------------------
def _check_recipients(*, exact: bool, recipients: Iterable[User]) -> None:
    can_open = can_view_exact_figures if exact else can_view_reports
    refused = sorted(user.display_name for user in recipients if not can_open(user))
    if refused:
        what = "exact figures" if exact else "reports"
        raise ValidationError(
            {"recipients": f"These people cannot see {what}: {', '.join(refused)}. Remove them."}
        )


@transaction.atomic
def report_schedule_create(
    *, actor: User, recipients: Iterable[User], **fields: object
) -> ReportSchedule:
    """Start requesting a report after each period, and say who is told when it is ready."""
    if not can_manage_report_schedules(actor):
        raise PermissionDenied
    recipients = list(recipients)
    _check_recipients(exact=bool(fields.get("exact")), recipients=recipients)
    schedule = ReportSchedule(**fields)
    schedule.full_clean()
    schedule.save()
    schedule.recipients.set(recipients)
    return schedule


@transaction.atomic
def report_schedule_update(
    *,
    schedule: ReportSchedule,
    actor: User,
    expected_version: int,
    recipients: Iterable[User],
    **fields: object,
) -> ReportSchedule:
    """Change a schedule; refused (StaleEdit) if someone else changed it meanwhile."""
    if not can_manage_report_schedules(actor):
        raise PermissionDenied
    recipients = list(recipients)
    _check_recipients(exact=bool(fields.get("exact")), recipients=recipients)
    for name in SCHEDULE_FIELDS:
        setattr(schedule, name, fields[name])
    schedule.full_clean()
    save_versioned(schedule, expected_version=expected_version, fields=SCHEDULE_FIELDS)
    schedule.recipients.set(recipients)
    return schedule


@transaction.atomic
def report_schedule_deactivate(*, schedule: ReportSchedule, actor: User) -> ReportSchedule:
    """Stop a schedule requesting its report; it is kept, and can be started again."""
    if not can_manage_report_schedules(actor):
        raise PermissionDenied
    schedule = ReportSchedule.objects.select_for_update().get(pk=schedule.pk)
    schedule.active = False
    schedule.version += 1
    schedule.save(update_fields=["active", "version", "updated_at"])
    return schedule
