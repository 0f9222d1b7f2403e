"""Two answers to one link at the same moment: the row lock lets exactly one through.

Each request runs in its own thread (its own database connection). The first is held inside
its transaction, after locking the link and writing its answer; the second is let go, and the
first is released only once PostgreSQL shows the second waiting for the lock.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from cre_portal.audit.models import CaseEvent
from risk_assessment.models import FeedbackResponse
from risk_assessment.services import feedback as services
from tests.risk_assessment.factories_feedback import link_with_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANSWERS = {"listened_to": "3", "understood": "4", "helped": "2", "comments": ""}
WAIT = 10  # seconds; only reached if the lock does not work


def _waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def _wait_until(condition) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


class HoldFirstAnswer:
    """Stands in for case_event_record: the first caller waits inside its transaction."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()
        self.calls = 0
        self.real = services.case_event_record

    def __call__(self, **kwargs):
        self.calls += 1
        if self.calls == 1:
            self.inside.set()
            assert self.release.wait(WAIT)
        return self.real(**kwargs)


def _post_in_thread(url: str, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = Client().post(url, ANSWERS)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_simultaneous_answers_only_one_is_taken_and_the_second_hears_so(monkeypatch):
    # given
    link, token = link_with_token()
    url = reverse("risk_assessment:feedback_respond", args=[token])
    hold = HoldFirstAnswer()
    monkeypatch.setattr(services, "case_event_record", hold)
    results: dict = {}

    # when: the first answer is inside its transaction, holding the lock on the link
    first = _post_in_thread(url, results, "first")
    assert hold.inside.wait(WAIT)
    # and a second arrives: the link still looks open to it, so it reaches the lock and waits
    second = _post_in_thread(url, results, "second")
    _wait_until(lambda: _waiting_for_a_lock() == 1)
    hold.release.set()
    first.join(WAIT)
    second.join(WAIT)

    # then: the first is thanked, the second told the answers are already in
    assert results["first"].status_code == 302
    assert results["first"]["Location"] == reverse("risk_assessment:feedback_thanks")
    assert results["second"].status_code == 200
    assert "Thank you, we already have your answers" in results["second"].content.decode()
    assert FeedbackResponse.objects.filter(link=link).count() == 1
    assert CaseEvent.objects.filter(verb="feedback_received").count() == 1
