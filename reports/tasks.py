"""Celery entry points for reports. Thin: each calls the services that do the work."""

import uuid

from celery import shared_task

from reports.services.runs import report_run_generate, report_runs_sweep
from reports.services.schedules import report_schedules_notify_done, report_schedules_run_due


@shared_task
def generate_report_task(run_id: str) -> None:
    """Make a run's files, then tell the schedules waiting for it; safe to receive twice."""
    run = report_run_generate(uuid.UUID(run_id))
    if run is not None:
        report_schedules_notify_done(run)


@shared_task
def sweep_unpublished_runs_task() -> int:
    """Every minute: send again the runs the broker never got, lost, or whose worker died."""
    return report_runs_sweep()


@shared_task
def run_due_schedules_task() -> int:
    """Daily: request each schedule's report once its period has ended (and announce it)."""
    return report_schedules_run_due()
