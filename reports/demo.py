"""Demo reports: the six-monthly schedule and the last two half-years' reports, made for real."""

import datetime

from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.accounts.roles import Role
from reports.models import Cadence, ReportKind, ReportRun, ReportSchedule
from reports.services.runs import report_run_generate, report_run_request
from reports.services.schedules import latest_completed_period, report_schedule_create

SCHEDULE_NAME = "Corporate Parenting committee report"


def seed_report_demo(today: datetime.date | None = None) -> list[ReportRun]:
    """Seed the schedule and make the last two half-years' public reports now; idempotent."""
    today = today or timezone.localdate()
    analysts = list(User.objects.filter(is_demo=True, is_active=True, groups__name=Role.ANALYST))
    if analysts and not ReportSchedule.objects.filter(name=SCHEDULE_NAME).exists():
        report_schedule_create(
            actor=analysts[0],
            recipients=analysts,
            kind=ReportKind.CORPORATE_PARENTING,
            name=SCHEDULE_NAME,
            cadence=Cadence.SIX_MONTHLY,
            days_after=14,
            exact=False,
        )
    latest = latest_completed_period(Cadence.SIX_MONTHLY, today)
    earlier = latest_completed_period(Cadence.SIX_MONTHLY, latest.start)
    return [_made(period.start, period.end) for period in (earlier, latest)]


def _made(start: datetime.date, end: datetime.date) -> ReportRun:
    """The period's report, made here and now rather than by a worker (the files must exist)."""
    run, _ = report_run_request(
        actor=None,
        kind=ReportKind.CORPORATE_PARENTING,
        period_start=start,
        period_end=end,
        exact=False,
        publish=False,
    )
    if run.status != ReportRun.Status.DONE:
        report_run_generate(run.pk)
        run.refresh_from_db()
    return run
