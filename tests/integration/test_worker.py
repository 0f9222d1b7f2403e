"""The worker is real: it answers, runs the prefork pool, and audits its writes under its name."""

import time
from collections.abc import Callable

import pytest

from cre_portal.accounts.models import Team
from cre_portal.celery import app as celery_app
from tests.accounts.factories import TeamFactory
from tests.integration.tasks import rename_team

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TASK_WAIT_SECONDS = 20


def wait_for(condition: Callable[[], bool], seconds: float = TASK_WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Gave up waiting after {seconds} s")
        time.sleep(0.1)


def test_worker_answers_ping_with_prefork_pool(live_worker):
    stats = celery_app.control.inspect(destination=[live_worker.hostname], timeout=2).stats()

    assert stats[live_worker.hostname]["pool"]["implementation"].endswith("prefork:TaskPool")


def test_task_write_is_recorded_under_the_task_name(live_worker):
    # given
    team = TeamFactory(name="North exploitation team")

    # when
    result = rename_team.delay(team.pk, "North and east exploitation team")

    # then
    wait_for(lambda: Team.objects.get(pk=team.pk).name == "North and east exploitation team")
    event = team.events.get(pgh_label="update")
    assert event.name == "North and east exploitation team"
    assert event.pgh_context.metadata["task"] == "tests.integration.rename_team"
    assert event.pgh_context.metadata["task_id"] == result.id
