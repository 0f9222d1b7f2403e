"""The daily reminder: one email per owner, never twice a day, never a child's name."""

import datetime
import smtplib

import pytest
from django.core import mail

from cre_portal.accounts.roles import Role
from cre_portal.timescales import LONDON
from referrals.models import MissingEpisode
from referrals.services.rhi_reminders import rhi_reminders_send
from referrals.tasks import send_rhi_reminders_task
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import ReturnedEpisodeFactory, ReturnInterviewFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
# The job runs at 07:30 London time.
RUN_AT = datetime.datetime(2026, 11, 20, 7, 30, tzinfo=LONDON)


def due_in(hours: float, **kwargs) -> MissingEpisode:
    """An open interview due `hours` after RUN_AT (negative: overdue)."""
    ended_at = RUN_AT + hours * HOUR - 72 * HOUR
    return ReturnedEpisodeFactory(started_at=ended_at - 5 * HOUR, ended_at=ended_at, **kwargs)


@pytest.fixture
def owner(team):
    return UserFactory(team=team, roles=[Role.MISSING_OFFICER], email="owner@council.example")


@pytest.fixture
def other_owner(team):
    return UserFactory(team=team, roles=[Role.MISSING_OFFICER], email="other@council.example")


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_each_owner_gets_one_email_listing_overdue_and_nearly_due(owner, other_owner):
    # given
    overdue = due_in(-5, rhi_owner=owner)
    due_soon = due_in(10, rhi_owner=owner)
    due_in(30, rhi_owner=owner)  # not yet
    ReturnInterviewFactory(episode__rhi_owner=owner)  # done
    other = due_in(3, rhi_owner=other_owner)

    # when
    sent = rhi_reminders_send(now=RUN_AT)

    # then
    assert sent == 2
    (message,) = sent_to(owner.email)
    assert message.subject == "Return home interviews: 1 overdue and 1 due within 24 hours"
    assert overdue.child.child_ref in message.body
    assert due_soon.child.child_ref in message.body
    assert "Overdue by 5 hours" in message.body
    assert "Due in 10 hours" in message.body
    (other_message,) = sent_to(other_owner.email)
    assert other.child.child_ref in other_message.body
    assert overdue.child.child_ref not in other_message.body


def test_reminders_mark_the_episodes(owner):
    overdue, due_soon, later = due_in(-1, rhi_owner=owner), due_in(1, rhi_owner=owner), due_in(25)

    rhi_reminders_send(now=RUN_AT)

    for episode in (overdue, due_soon, later):
        episode.refresh_from_db()
    assert (overdue.rhi_overdue_reminded_at, overdue.rhi_due_soon_reminded_at) == (RUN_AT, None)
    assert (due_soon.rhi_due_soon_reminded_at, due_soon.rhi_overdue_reminded_at) == (RUN_AT, None)
    assert later.rhi_due_soon_reminded_at is None


def test_running_twice_the_same_day_sends_nothing_more(owner):
    due_in(-5, rhi_owner=owner)
    due_in(10, rhi_owner=owner)
    rhi_reminders_send(now=RUN_AT)

    sent_again = rhi_reminders_send(now=RUN_AT + 3 * HOUR)

    assert sent_again == 0
    assert len(mail.outbox) == 1


def test_overdue_interviews_are_reminded_again_the_next_day(owner):
    # given
    overdue = due_in(-5, rhi_owner=owner)
    due_soon = due_in(10, rhi_owner=owner)
    rhi_reminders_send(now=RUN_AT)

    # when
    sent = rhi_reminders_send(now=RUN_AT + 24 * HOUR)

    # then: both are overdue now; the due-soon reminder is never repeated
    assert sent == 1
    message = mail.outbox[-1]
    assert message.subject == "Return home interviews: 2 overdue"
    assert overdue.child.child_ref in message.body
    assert due_soon.child.child_ref in message.body


def test_a_new_owner_for_a_reminded_interview_is_not_reminded_the_same_day(owner, other_owner):
    episode = due_in(-5, rhi_owner=owner)
    rhi_reminders_send(now=RUN_AT)
    MissingEpisode.objects.filter(pk=episode.pk).update(rhi_owner=other_owner)

    assert rhi_reminders_send(now=RUN_AT + HOUR) == 0


def test_the_email_never_names_the_child(owner):
    # given
    child = ChildFactory(first_name="Kayleigh", last_name="Brookfield", known_as=["Kay-B"])
    due_in(-5, rhi_owner=owner, child=child, where_found="Found at Jordan Smith's flat")
    restricted = ChildFactory(first_name="Tiago", last_name="Oduya", is_restricted=True)
    due_in(4, rhi_owner=owner, child=restricted)

    # when
    rhi_reminders_send(now=RUN_AT)

    # then
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        for secret in ("Kayleigh", "Brookfield", "Kay-B", "Tiago", "Oduya", "Jordan Smith"):
            assert secret not in text
    assert child.child_ref in message.body
    assert restricted.child_ref in html
    assert "http://testserver.example/missing/?show=mine" in message.body


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver.example"


def test_inactive_owners_and_unowned_interviews_get_nothing(owner):
    owner.is_active = False
    owner.save()
    due_in(-5, rhi_owner=owner)
    due_in(-5, rhi_owner=None)

    assert rhi_reminders_send(now=RUN_AT) == 0
    assert mail.outbox == []


def test_a_failed_send_leaves_the_episodes_unmarked_for_the_next_run(owner, monkeypatch):
    # given
    episode = due_in(-5, rhi_owner=owner)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)

    # when
    sent = rhi_reminders_send(now=RUN_AT)

    # then
    assert sent == 0
    episode.refresh_from_db()
    assert episode.rhi_overdue_reminded_at is None


def test_one_owners_failure_does_not_stop_the_others(owner, other_owner, monkeypatch):
    due_in(-5, rhi_owner=owner)
    due_in(-5, rhi_owner=other_owner)
    real_send = mail.EmailMultiAlternatives.send

    def refuse_owner(message, *args, **kwargs):
        if message.to == [owner.email]:
            raise smtplib.SMTPRecipientsRefused({owner.email: (550, b"no")})
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse_owner)

    assert rhi_reminders_send(now=RUN_AT) == 1
    assert [m.to for m in mail.outbox] == [[other_owner.email]]


def test_the_task_calls_the_service(monkeypatch):
    calls = []
    monkeypatch.setattr("referrals.tasks.rhi_reminders_send", lambda: calls.append(1) or 3)

    assert send_rhi_reminders_task() == 3
    assert calls == [1]


def test_the_task_is_scheduled_daily_by_its_name(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["send-rhi-reminders"]

    assert schedule["task"] == send_rhi_reminders_task.name
