"""Celery entry points for case work. Thin: each calls one service."""

from celery import shared_task

from referrals.services.imports import case_imports_purge_stale
from referrals.services.rhi_reminders import rhi_reminders_send


@shared_task
def send_rhi_reminders_task() -> int:
    """Daily at 07:30: email each interview owner their overdue and nearly due RHIs; safe twice."""
    return rhi_reminders_send()


@shared_task
def purge_stale_imports_task() -> int:
    """Nightly: empty uploads nobody confirmed within a week (they hold personal data)."""
    return case_imports_purge_stale()
