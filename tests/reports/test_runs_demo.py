"""The demo's reports: a six-monthly schedule and the last two half-years, made for real."""

import datetime

import pytest

from cre_portal.accounts.roles import Role
from reports.demo import SCHEDULE_NAME, seed_report_demo
from reports.models import ReportFile, ReportRun, ReportSchedule
from tests.accounts.factories import UserFactory
from tests.reports.factories_runs import stub_renderers

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 2, 10)


def test_demo_seeds_the_schedule_and_two_finished_half_years_once(monkeypatch):
    # given
    calls = stub_renderers(monkeypatch)
    analyst = UserFactory(roles=[Role.ANALYST], is_demo=True)

    # when: seeded twice
    first = seed_report_demo(TODAY)
    made = len(calls)
    second = seed_report_demo(TODAY)

    # then: the same two public runs, made once, with their files
    assert [(run.period_start, run.period_end) for run in first] == [
        (datetime.date(2024, 10, 1), datetime.date(2025, 3, 31)),
        (datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)),
    ]
    assert [run.pk for run in second] == [run.pk for run in first]
    assert {run.status for run in first} == {ReportRun.Status.DONE}
    assert not any(run.exact for run in first)
    assert len(calls) == made == 8
    assert ReportFile.objects.count() == 8
    schedule = ReportSchedule.objects.get()
    assert (schedule.name, schedule.active) == (SCHEDULE_NAME, True)
    assert list(schedule.recipients.all()) == [analyst]


def test_demo_without_accounts_still_makes_the_reports(monkeypatch):
    stub_renderers(monkeypatch)

    runs = seed_report_demo(TODAY)

    assert len(runs) == 2
    assert not ReportSchedule.objects.exists()
