"""With the broker down a report request still succeeds; the sweep sends it once Redis is back.

These talk to the real Redis (the developer's own database number from REDIS_URL), not a mock:
what matters is how Celery behaves when the connection is refused.
"""

import datetime
import logging

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.celery import app as celery_app
from reports.models import ReportRun
from reports.services.runs import report_runs_sweep
from tests.accounts.factories import UserFactory
from tests.integration.conftest import UNREACHABLE_REDIS_URL, use_broker
from tests.reports.factories_runs import request_form

pytestmark = pytest.mark.django_db

QUEUE = "celery"


def queued_messages() -> int:
    return redis.Redis.from_url(settings.REDIS_URL).llen(QUEUE)


def test_request_succeeds_with_the_broker_down_and_the_sweep_sends_it_when_back(
    signed_in, django_capture_on_commit_callbacks, caplog
):
    # given: the broker refuses connections
    analyst = UserFactory(roles=[Role.ANALYST], full_name="Ana Lyst")
    client = signed_in(analyst)
    form = request_form(datetime.date(2025, 4, 1), datetime.date(2025, 9, 30))

    # when: the analyst asks for a report
    with (
        use_broker(UNREACHABLE_REDIS_URL),
        caplog.at_level(logging.WARNING, logger="reports.services.runs"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("reports:run_request"), form)

    # then: the request succeeded, and the run waits, stored
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:run_detail", args=[run.pk])
    assert run.status == ReportRun.Status.QUEUED
    # and the log says which run, and nothing about who asked or where the broker is
    record = next(r for r in caplog.records if r.getMessage() == "report_run_not_published")
    assert (record.run_id, record.error) == (str(run.pk), "OperationalError")
    assert "Ana Lyst" not in caplog.text
    assert "127.0.0.1:1" not in caplog.text

    # when: Redis is back and the sweep runs a minute later
    with use_broker(settings.REDIS_URL):
        celery_app.control.purge()
        try:
            sent = report_runs_sweep(now=timezone.now() + datetime.timedelta(minutes=2))
            waiting = queued_messages()
        finally:
            celery_app.control.purge()

    # then: the run is on the queue, once
    assert (sent, waiting) == (1, 1)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.PUBLISHED
