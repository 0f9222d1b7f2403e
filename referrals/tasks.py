"""Celery entry points for case work. Thin: each calls one service."""

from celery import shared_task

from referrals.services.rhi_reminders import rhi_reminders_send


@shared_task
def send_rhi_reminders_task() -> int:
    """Daily at 07:30: email each interview owner their overdue and nearly due RHIs; safe twice."""
    return rhi_reminders_send()
