"""The daily RHI reminder job, run by a real worker: it marks what it sent and never sends twice.

The worker is a separate process, so Django's in-memory test mailbox cannot see its email; the
episodes' `*_reminded_at` marks and their audit trail show what it did.
"""

import datetime
import time
from collections.abc import Callable

import pytest
from django.utils import timezone

from cre_portal.accounts.roles import Role
from referrals.models import MissingEpisode
from referrals.tasks import send_rhi_reminders_task
from tests.accounts.factories import TeamFactory, UserFactory
from tests.integration.tasks import rename_team
from tests.referrals.factories_missing import ReturnedEpisodeFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TASK_WAIT_SECONDS = 20
HOUR = datetime.timedelta(hours=1)


def wait_for(condition: Callable[[], bool], seconds: float = TASK_WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Gave up waiting after {seconds} s")
        time.sleep(0.1)


def returned_hours_ago(hours: float, owner) -> MissingEpisode:
    ended_at = timezone.now() - hours * HOUR
    return ReturnedEpisodeFactory(started_at=ended_at - HOUR, ended_at=ended_at, rhi_owner=owner)


def drain_queue() -> None:
    """The worker runs one job at a time in order: once a later job is done, so is the earlier."""
    team = TeamFactory(name="Queue marker")
    rename_team.delay(team.pk, "Queue drained")
    wait_for(lambda: team.__class__.objects.get(pk=team.pk).name == "Queue drained")


def test_worker_sends_the_reminders_once_and_audits_them(live_worker):
    # given
    owner = UserFactory(roles=[Role.MISSING_OFFICER])
    overdue = returned_hours_ago(80, owner)
    due_soon = returned_hours_ago(60, owner)
    later = returned_hours_ago(10, owner)

    # when
    send_rhi_reminders_task.delay()
    wait_for(lambda: MissingEpisode.objects.get(pk=overdue.pk).rhi_overdue_reminded_at is not None)

    # then
    overdue.refresh_from_db()
    due_soon.refresh_from_db()
    later.refresh_from_db()
    assert due_soon.rhi_due_soon_reminded_at == overdue.rhi_overdue_reminded_at
    assert later.rhi_due_soon_reminded_at is None
    update = overdue.events.get(pgh_label="update")
    assert update.pgh_context.metadata["task"] == "referrals.tasks.send_rhi_reminders_task"

    # when: the job runs again the same day
    send_rhi_reminders_task.delay()
    drain_queue()

    # then: nothing is marked again
    assert MissingEpisode.objects.get(pk=overdue.pk).rhi_overdue_reminded_at == (
        overdue.rhi_overdue_reminded_at
    )
    assert overdue.events.filter(pgh_label="update").count() == 1
