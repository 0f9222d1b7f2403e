"""Report schedules: which period is due, requesting it, and telling the recipients once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cre_portal.accounts.roles import Role
from cre_portal.concurrency import StaleEdit
from reports.models import Cadence, ReportKind, ReportRun
from reports.services.schedules import (
    Period,
    due_period,
    latest_completed_period,
    report_schedule_create,
    report_schedule_deactivate,
    report_schedule_update,
    report_schedules_notify_done,
    report_schedules_run_due,
)
from reports.tasks import generate_report_task, run_due_schedules_task
from tests.accounts.factories import UserFactory
from tests.reports.factories_runs import (
    DoneReportRunFactory,
    FailedReportRunFactory,
    ReportRunFactory,
    ReportScheduleFactory,
    stub_renderers,
)

D = datetime.date
SIX_MONTHLY, MONTHLY = Cadence.SIX_MONTHLY, Cadence.MONTHLY
OCT_TO_MAR_2025 = Period(D(2024, 10, 1), D(2025, 3, 31))
APR_TO_SEP_2025 = Period(D(2025, 4, 1), D(2025, 9, 30))
APR_TO_SEP_2024 = Period(D(2024, 4, 1), D(2024, 9, 30))


def schedule(cadence=SIX_MONTHLY, days_after=14, last=None):
    return ReportScheduleFactory.build(
        cadence=cadence, days_after=days_after, last_generated_period_end=last
    )


# --- Which period is due (no database) ----------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "days_after", "expected"),
    [
        # 14 days after 30 September is 14 October.
        (D(2025, 10, 13), 14, OCT_TO_MAR_2025),
        (D(2025, 10, 14), 14, APR_TO_SEP_2025),
        # 14 days after 31 March is 14 April.
        (D(2025, 4, 13), 14, APR_TO_SEP_2024),
        (D(2025, 4, 14), 14, OCT_TO_MAR_2025),
        # 0 days: the day after the period ends, never on its last day (it is not over).
        (D(2025, 3, 31), 0, APR_TO_SEP_2024),
        (D(2025, 4, 1), 0, OCT_TO_MAR_2025),
        (D(2025, 9, 30), 0, OCT_TO_MAR_2025),
        (D(2025, 10, 1), 0, APR_TO_SEP_2025),
        # 1 day after is the same day as 0.
        (D(2025, 4, 1), 1, OCT_TO_MAR_2025),
        # Longer than a half-year after the end: the due period is further back.
        # (31 March + 200 days is 17 October.)
        (D(2025, 10, 16), 200, APR_TO_SEP_2024),
        (D(2025, 10, 17), 200, OCT_TO_MAR_2025),
        # A half-year spanning a leap day.
        (D(2028, 4, 1), 0, Period(D(2027, 10, 1), D(2028, 3, 31))),
    ],
)
def test_six_monthly_due_period(today, days_after, expected):
    assert due_period(schedule(SIX_MONTHLY, days_after), today) == expected


@pytest.mark.parametrize(
    ("today", "days_after", "expected"),
    [
        (D(2028, 3, 1), 0, Period(D(2028, 2, 1), D(2028, 2, 29))),  # leap year February
        (D(2028, 2, 29), 0, Period(D(2028, 1, 1), D(2028, 1, 31))),  # its last day: not over
        (D(2028, 3, 1), 1, Period(D(2028, 2, 1), D(2028, 2, 29))),
        (D(2028, 3, 1), 2, Period(D(2028, 1, 1), D(2028, 1, 31))),
        (D(2027, 3, 1), 0, Period(D(2027, 2, 1), D(2027, 2, 28))),  # not a leap year
        (D(2026, 1, 1), 0, Period(D(2025, 12, 1), D(2025, 12, 31))),  # across the new year
        (D(2026, 1, 10), 10, Period(D(2025, 12, 1), D(2025, 12, 31))),
        (D(2026, 1, 10), 11, Period(D(2025, 11, 1), D(2025, 11, 30))),
        (D(2026, 3, 5), 40, Period(D(2025, 12, 1), D(2025, 12, 31))),
    ],
)
def test_monthly_due_period(today, days_after, expected):
    assert due_period(schedule(MONTHLY, days_after), today) == expected


def test_nothing_is_due_once_the_period_has_been_announced():
    announced = schedule(last=D(2025, 9, 30))

    assert due_period(announced, D(2025, 10, 20)) is None
    assert due_period(announced, D(2026, 4, 14)) == Period(D(2025, 10, 1), D(2026, 3, 31))


def test_an_older_announcement_does_not_stop_the_next_period():
    assert due_period(schedule(last=D(2025, 3, 31)), D(2025, 10, 20)) == APR_TO_SEP_2025


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 2, 10), APR_TO_SEP_2025),
        (D(2025, 10, 1), APR_TO_SEP_2025),
        (D(2025, 9, 30), OCT_TO_MAR_2025),
        (D(2025, 4, 1), OCT_TO_MAR_2025),
        (D(2025, 3, 31), APR_TO_SEP_2024),
    ],
)
def test_latest_completed_half_year(today, expected):
    assert latest_completed_period(SIX_MONTHLY, today) == expected


# --- Requesting and announcing ------------------------------------------------------------------
AFTER_SEPTEMBER = D(2025, 10, 20)


@pytest.fixture
def published(monkeypatch):
    sent = []
    monkeypatch.setattr("reports.tasks.generate_report_task.delay", sent.append)
    return sent


@pytest.fixture
def analyst(db):
    return UserFactory(roles=[Role.ANALYST], full_name="Ana Lyst")


@pytest.mark.django_db
def test_a_due_schedule_requests_its_report_once(
    analyst, published, django_capture_on_commit_callbacks
):
    # given
    ReportScheduleFactory(recipients=[analyst])
    ReportScheduleFactory(active=False)

    # when: the daily job runs twice
    with django_capture_on_commit_callbacks(execute=True):
        first = report_schedules_run_due(AFTER_SEPTEMBER)
        second = report_schedules_run_due(AFTER_SEPTEMBER)

    # then: one run, requested by the system, sent to the workers once
    run = ReportRun.objects.get()
    assert (first, second) == (1, 1)
    assert (run.period_start, run.period_end, run.exact) == (D(2025, 4, 1), D(2025, 9, 30), False)
    assert run.requested_by is None
    assert published == [str(run.pk)]
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_ready_report_is_announced_once_with_a_link_only(analyst, published, settings):
    # given: the period's report is already made (someone asked for it by hand)
    settings.SITE_URL = "https://cre.example.invalid"
    schedule = ReportScheduleFactory(recipients=[analyst])
    run = DoneReportRunFactory(period_start=D(2025, 4, 1), period_end=D(2025, 9, 30))

    # when
    report_schedules_run_due(AFTER_SEPTEMBER)
    report_schedules_run_due(AFTER_SEPTEMBER)

    # then: one email, to the recipient, with the run page's link and nothing else
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [analyst.email]
    assert email.subject == "Report ready: Corporate Parenting report"
    link = f"https://cre.example.invalid/reports/runs/{run.pk}/"
    assert link in email.body
    assert link in email.alternatives[0][0]
    assert "1 April 2025 to 30 September 2025" in email.body
    assert email.attachments == []
    assert "Ana Lyst" not in email.body
    assert run.requested_by.full_name not in email.body
    schedule.refresh_from_db()
    assert schedule.last_generated_period_end == D(2025, 9, 30)
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db
def test_the_worker_announces_the_run_it_finished(analyst, monkeypatch, settings):
    # given: a schedule whose report was requested and is being made
    stub_renderers(monkeypatch)
    monkeypatch.setattr("reports.services.schedules.timezone.localdate", lambda: AFTER_SEPTEMBER)
    ReportScheduleFactory(recipients=[analyst])
    run = ReportRunFactory(period_start=D(2025, 4, 1), period_end=D(2025, 9, 30), requested_by=None)

    # when: the worker's job runs (twice: a redelivery)
    generate_report_task(str(run.pk))
    generate_report_task(str(run.pk))

    # then
    assert len(mail.outbox) == 1
    assert f"/reports/runs/{run.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_run_for_a_period_that_is_not_due_is_not_announced(analyst):
    ReportScheduleFactory(recipients=[analyst])
    early = DoneReportRunFactory(period_start=D(2025, 4, 1), period_end=D(2025, 9, 30))

    # 30 September + 14 days has not come yet on 5 October.
    announced = report_schedules_notify_done(early, today=D(2025, 10, 5))

    assert announced == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_only_recipients_who_could_open_the_run_are_emailed(analyst):
    # given: an exact schedule; the director may not see exact figures, one analyst has left
    director = UserFactory(roles=[Role.DIRECTOR])
    gone = UserFactory(roles=[Role.ANALYST], is_active=False)
    ReportScheduleFactory(exact=True, recipients=[analyst, director, gone])
    run = DoneReportRunFactory(period_start=D(2025, 4, 1), period_end=D(2025, 9, 30), exact=True)

    # when
    report_schedules_notify_done(run, today=AFTER_SEPTEMBER)

    # then
    assert [email.to for email in mail.outbox] == [[analyst.email]]
    assert "not for publication" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_schedule_for_other_figures_is_not_announced_by_this_run(analyst):
    ReportScheduleFactory(exact=True, recipients=[analyst])
    public = DoneReportRunFactory(period_start=D(2025, 4, 1), period_end=D(2025, 9, 30))

    assert report_schedules_notify_done(public, today=AFTER_SEPTEMBER) == 0


@pytest.mark.django_db
def test_a_failed_run_is_requested_again_the_next_day(analyst, published):
    ReportScheduleFactory(recipients=[analyst])
    failed = FailedReportRunFactory(period_start=D(2025, 4, 1), period_end=D(2025, 9, 30))

    report_schedules_run_due(AFTER_SEPTEMBER)

    new = ReportRun.objects.exclude(pk=failed.pk).get()
    assert (new.period_end, new.status) == (D(2025, 9, 30), ReportRun.Status.QUEUED)


@pytest.mark.django_db
def test_mail_trouble_leaves_the_period_to_announce_again(analyst, monkeypatch, caplog):
    # given
    schedule = ReportScheduleFactory(recipients=[analyst])
    DoneReportRunFactory(period_start=D(2025, 4, 1), period_end=D(2025, 9, 30))

    def refused(self, messages):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refused)

    # when
    report_schedules_run_due(AFTER_SEPTEMBER)

    # then
    schedule.refresh_from_db()
    assert schedule.last_generated_period_end is None
    assert "report_schedule_not_announced" in caplog.text


@pytest.mark.django_db
def test_the_daily_task_runs_the_schedules(published):
    ReportScheduleFactory(cadence=MONTHLY, kind=ReportKind.LAC_DATA_PACK, exact=True)

    assert run_due_schedules_task() == 1
    assert ReportRun.objects.get().kind == ReportKind.LAC_DATA_PACK


# --- Keeping the schedules ----------------------------------------------------------------------
FIELDS = {
    "kind": ReportKind.CORPORATE_PARENTING,
    "name": "Committee report",
    "cadence": SIX_MONTHLY,
    "days_after": 14,
    "exact": False,
}


@pytest.mark.django_db
def test_the_report_manager_creates_a_schedule(analyst):
    director = UserFactory(roles=[Role.DIRECTOR])

    schedule = report_schedule_create(actor=analyst, recipients=[director], **FIELDS)

    assert schedule.active
    assert list(schedule.recipients.all()) == [director]
    assert schedule.events.get().pgh_label == "insert"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.DIRECTOR, Role.ADMINISTRATOR])
def test_only_the_report_manager_keeps_schedules(role):
    user = UserFactory(roles=[role])
    schedule = ReportScheduleFactory()

    with pytest.raises(PermissionDenied):
        report_schedule_create(actor=user, recipients=[], **FIELDS)
    with pytest.raises(PermissionDenied):
        report_schedule_deactivate(schedule=schedule, actor=user)


@pytest.mark.django_db
def test_an_exact_schedule_refuses_recipients_who_may_not_see_exact_figures(analyst):
    director = UserFactory(roles=[Role.DIRECTOR], full_name="Dee Rector")

    with pytest.raises(ValidationError) as refusal:
        report_schedule_create(actor=analyst, recipients=[director], **{**FIELDS, "exact": True})

    assert refusal.value.message_dict["recipients"] == [
        "These people cannot see exact figures: Dee Rector. Remove them."
    ]


@pytest.mark.django_db
def test_a_schedule_changed_meanwhile_is_not_overwritten(analyst):
    schedule = ReportScheduleFactory()
    report_schedule_update(
        schedule=schedule,
        actor=analyst,
        expected_version=1,
        recipients=[],
        **{**FIELDS, "days_after": 20, "active": True},
    )

    with pytest.raises(StaleEdit) as stale:
        report_schedule_update(
            schedule=schedule,
            actor=analyst,
            expected_version=1,
            recipients=[],
            **{**FIELDS, "days_after": 30, "active": True},
        )

    schedule.refresh_from_db()
    assert schedule.days_after == 20
    assert "days after the end of the period" in stale.value.message


@pytest.mark.django_db
def test_announcing_does_not_make_an_open_edit_stale(analyst):
    schedule = ReportScheduleFactory(recipients=[analyst])
    DoneReportRunFactory(period_start=D(2025, 4, 1), period_end=D(2025, 9, 30))
    report_schedules_run_due(AFTER_SEPTEMBER)

    updated = report_schedule_update(
        schedule=schedule,
        actor=analyst,
        expected_version=1,
        recipients=[analyst],
        **{**FIELDS, "active": True},
    )

    assert updated.version == 2


@pytest.mark.django_db
def test_deactivating_stops_the_schedule(analyst, published):
    schedule = ReportScheduleFactory()

    report_schedule_deactivate(schedule=schedule, actor=analyst)
    report_schedules_run_due(AFTER_SEPTEMBER)

    schedule.refresh_from_db()
    assert not schedule.active
    assert not ReportRun.objects.exists()
