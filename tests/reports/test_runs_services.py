"""Report runs: stored first, published after commit, made once, failed clearly, tried again."""

import datetime
import logging
from contextlib import contextmanager

import psycopg
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from reports import renderers
from reports.figures import report_figures
from reports.models import ReportFile, ReportKind, ReportRun
from reports.services import runs as run_services
from reports.services.runs import (
    ReportRunNotRetryable,
    report_file_open,
    report_run_generate,
    report_run_request,
    report_run_retry,
    report_runs_sweep,
)
from reports.suppression import suppress
from tests.accounts.factories import UserFactory
from tests.reports.factories_runs import (
    DoneReportRunFactory,
    FailedReportRunFactory,
    ReportRunFactory,
    RunningReportRunFactory,
    stub_renderers,
)

pytestmark = pytest.mark.django_db

Status = ReportRun.Status
APRIL, SEPTEMBER = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def published(monkeypatch):
    """The run ids sent to the broker, instead of sending them."""
    sent = []
    monkeypatch.setattr(
        "reports.tasks.generate_report_task.delay", lambda run_id: sent.append(run_id)
    )
    return sent


@pytest.fixture
def analyst():
    return UserFactory(roles=[Role.ANALYST])


@pytest.fixture
def render_calls(monkeypatch):
    return stub_renderers(monkeypatch)


def request_half_year(actor, **kwargs):
    options = {"kind": ReportKind.CORPORATE_PARENTING, "exact": False, **kwargs}
    return report_run_request(actor=actor, period_start=APRIL, period_end=SEPTEMBER, **options)


@contextmanager
def lock_held_elsewhere(run):
    """Another database session (a live worker) holds the run's lock."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [run_services._lock_key(run.pk)])
        try:
            yield
        finally:
            # Closing the connection releases it too, but the server does that a moment later.
            other.execute("SELECT pg_advisory_unlock_all()")


# --- Requesting ---------------------------------------------------------------------------------
def test_request_stores_the_run_first_and_publishes_only_after_commit(
    analyst, published, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        run, created = request_half_year(analyst)
        stored = ReportRun.objects.get(pk=run.pk)

    # then: stored, waiting, and nothing sent until the transaction committed
    assert created
    assert stored.status == Status.QUEUED
    assert stored.requested_by == analyst
    assert published == []
    assert len(callbacks) == 1

    # when: the commit runs the callback
    callbacks[0]()

    # then
    run.refresh_from_db()
    assert published == [str(run.pk)]
    assert run.status == Status.PUBLISHED
    assert run.published_at is not None


def test_the_same_request_twice_gives_the_same_run(
    analyst, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, first_created = request_half_year(analyst)
        second, second_created = request_half_year(UserFactory(roles=[Role.SERVICE_MANAGER]))

    assert (first_created, second_created) == (True, False)
    assert second.pk == first.pk
    assert ReportRun.objects.count() == 1
    assert published == [str(first.pk)]


def test_exact_and_public_are_different_requests(analyst, published):
    public, _ = request_half_year(analyst)
    exact, created = request_half_year(analyst, exact=True)

    assert created
    assert exact.pk != public.pk


def test_a_failed_run_does_not_stop_the_same_request_being_made_again(analyst, published):
    failed = FailedReportRunFactory(period_start=APRIL, period_end=SEPTEMBER)

    run, created = request_half_year(analyst)

    assert created
    assert run.pk != failed.pk


def test_the_data_pack_is_always_exact(analyst, published):
    run, _ = report_run_request(
        actor=analyst,
        kind=ReportKind.LAC_DATA_PACK,
        period_start=datetime.date(2025, 9, 1),
        period_end=SEPTEMBER,
        exact=False,
    )

    assert run.exact
    assert run.formats == ("xlsx", "pdf")


@pytest.mark.parametrize(
    ("role", "exact", "allowed"),
    [
        (Role.ANALYST, True, True),
        (Role.SERVICE_MANAGER, True, True),
        (Role.CP_MANAGER, False, True),
        (Role.DIRECTOR, False, False),
        (Role.TEAM_MANAGER, False, False),
        (Role.SOCIAL_WORKER, False, False),
    ],
)
def test_only_those_who_may_generate_can_request(role, exact, allowed, published):
    user = UserFactory(roles=[role])

    if allowed:
        request_half_year(user, exact=exact)
    else:
        with pytest.raises(PermissionDenied):
            request_half_year(user, exact=exact)


def test_the_system_may_request_without_an_actor(published):
    run, _ = request_half_year(None)

    assert run.requested_by is None


def test_a_period_that_ends_before_it_starts_is_refused(analyst, published):
    with pytest.raises(ValidationError):
        report_run_request(
            actor=analyst,
            kind=ReportKind.CORPORATE_PARENTING,
            period_start=SEPTEMBER,
            period_end=APRIL,
            exact=False,
        )


# --- The sweep ----------------------------------------------------------------------------------
def test_sweep_sends_runs_the_broker_never_got(published):
    now = timezone.now()
    stuck = ReportRunFactory(requested_at=now - 2 * MINUTE)
    just_stored = ReportRunFactory(requested_at=now - MINUTE / 2)

    sent = report_runs_sweep(now=now)

    assert sent == 1
    assert published == [str(stuck.pk)]
    stuck.refresh_from_db()
    just_stored.refresh_from_db()
    assert (stuck.status, just_stored.status) == (Status.PUBLISHED, Status.QUEUED)


def test_sweep_sends_again_a_run_published_so_long_ago_its_message_was_lost(published):
    now = timezone.now()
    lost = ReportRunFactory(
        status=Status.PUBLISHED, published_at=now - run_services.LOST_AFTER - MINUTE
    )
    ReportRunFactory(status=Status.PUBLISHED, published_at=now - 10 * MINUTE)

    report_runs_sweep(now=now)

    assert published == [str(lost.pk)]


def test_sweep_leaves_finished_runs_alone(published):
    long_ago = timezone.now() - datetime.timedelta(days=1)
    DoneReportRunFactory(requested_at=long_ago)
    FailedReportRunFactory(requested_at=long_ago)

    assert report_runs_sweep() == 0
    assert published == []


def test_sweep_leaves_a_running_run_whose_worker_is_alive(published):
    run = RunningReportRunFactory()

    with lock_held_elsewhere(run):
        sent = report_runs_sweep()

    assert sent == 0


def test_sweep_sends_again_once_a_running_run_whose_worker_died(published):
    run = RunningReportRunFactory()  # nobody holds its lock: the worker died

    first = report_runs_sweep()
    second = report_runs_sweep()

    assert (first, second) == (1, 0)
    assert published == [str(run.pk)]
    run.refresh_from_db()
    assert run.status == Status.RUNNING  # the worker that picks it up starts a new attempt


def test_the_held_locks_are_read_from_every_session():
    run = ReportRunFactory()

    with lock_held_elsewhere(run):
        held = run_services._held_run_locks()

    assert run_services._lock_key(run.pk) in held
    assert run_services._lock_key(run.pk) not in run_services._held_run_locks()


# --- Making a run -------------------------------------------------------------------------------
def test_generate_makes_every_file_from_the_suppressed_figures(render_calls):
    # given
    run = ReportRunFactory(period_start=APRIL, period_end=SEPTEMBER, status=Status.PUBLISHED)

    # when
    done = report_run_generate(run.pk)

    # then: one file per format, each with its size and checksum
    assert done.status == Status.DONE
    assert (done.progress, done.progress_label, done.attempts) == (100, "Ready", 1)
    files = {file.format: file for file in done.files.all()}
    assert set(files) == {"pdf", "docx", "xlsx", "pptx"}
    pdf = files["pdf"]
    assert bytes(pdf.content) == b"pdf 2025-04-01 exact=False"
    assert pdf.size == len(b"pdf 2025-04-01 exact=False")
    assert len(pdf.sha256) == 64
    assert pdf.filename == "corporate-parenting-report-2025-04-01-to-2025-09-30-public.pdf"
    # and the run keeps the exact figures; the public files were made from suppressed ones
    exact = report_figures(APRIL, SEPTEMBER)
    assert done.figures == exact
    _, figures, meta, _ = render_calls[0]
    assert figures == {name: suppress(part) for name, part in exact.items()}
    assert meta["exact"] is False
    assert meta["period_start"] == APRIL


def test_an_exact_run_renders_the_exact_figures(render_calls):
    run = ReportRunFactory(period_start=APRIL, period_end=SEPTEMBER, exact=True)

    report_run_generate(run.pk)

    assert {call[1] == report_figures(APRIL, SEPTEMBER) for call in render_calls} == {True}
    assert {call[2]["exact"] for call in render_calls} == {True}
    assert ReportFile.objects.get(run=run, format="pdf").filename.endswith(
        "-exact-not-for-publication.pdf"
    )


def test_the_word_document_gets_the_committee_papers_wording(render_calls):
    run = ReportRunFactory()

    report_run_generate(run.pk)

    docx = next(call for call in render_calls if call[0] == "docx")
    assert set(docx[3]) >= {"purpose", "recommendations", "financial", "other_implications"}


def test_the_data_pack_is_made_as_a_workbook_and_a_pdf(render_calls):
    run = ReportRunFactory(kind=ReportKind.LAC_DATA_PACK, exact=True)

    report_run_generate(run.pk)

    assert [call[0] for call in render_calls] == ["xlsx", "pdf"]
    assert render_calls[0][2]["title"] == "Child exploitation: looked-after children data pack"


def test_progress_moves_in_its_own_transactions_as_each_file_is_made(monkeypatch):
    # given: each renderer notes what the run's page would show at that moment
    seen = []
    run = ReportRunFactory()
    calls = stub_renderers(monkeypatch)

    def watching(fmt):
        def render(figures, *, meta, paper_sections=None):
            seen.append(ReportRun.objects.values_list("progress", "progress_label").get(pk=run.pk))
            return b"x"

        return render

    for fmt in ("pdf", "docx", "xlsx", "pptx"):
        monkeypatch.setattr(renderers, f"render_{fmt}", watching(fmt), raising=False)

    # when
    report_run_generate(run.pk)

    # then
    assert calls == []
    assert seen == [
        (20, "Making the PDF"),
        (38, "Making the Word document"),
        (56, "Making the Excel workbook"),
        (74, "Making the PowerPoint slides"),
    ]


def test_generating_a_finished_run_again_does_nothing(render_calls):
    run = ReportRunFactory()
    report_run_generate(run.pk)
    made = len(render_calls)

    again = report_run_generate(run.pk)

    assert again is None
    assert len(render_calls) == made
    assert ReportFile.objects.filter(run=run).count() == 4


def test_a_run_another_worker_is_making_is_left_to_it(render_calls, monkeypatch):
    monkeypatch.setattr(run_services, "LOCK_WAIT_SECONDS", 0.3)
    run = RunningReportRunFactory()

    with lock_held_elsewhere(run):
        result = report_run_generate(run.pk)

    assert result is None
    assert render_calls == []
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Status.RUNNING, 1)


def test_a_run_whose_worker_died_is_taken_over_as_a_new_attempt(render_calls):
    run = RunningReportRunFactory()  # nobody holds its lock

    done = report_run_generate(run.pk)

    assert (done.status, done.attempts) == (Status.DONE, 2)
    assert done.files.count() == 4


def test_an_attempt_that_lost_the_run_meanwhile_stores_nothing(monkeypatch):
    # given: while this attempt renders, another takes the run over (its worker was presumed dead)
    run = ReportRunFactory()
    stub_renderers(monkeypatch)

    def taken_over(figures, *, meta, paper_sections=None):
        ReportRun.objects.filter(pk=run.pk).update(attempts=2)
        return b"x"

    monkeypatch.setattr(renderers, "render_pptx", taken_over, raising=False)

    # when
    result = report_run_generate(run.pk)

    # then: the files are the other attempt's to store
    assert result is None
    assert not ReportFile.objects.filter(run=run).exists()
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Status.RUNNING, 2)


def test_a_renderer_failure_fails_the_run_with_a_reason_not_a_traceback(monkeypatch, caplog):
    # given
    run = ReportRunFactory()
    stub_renderers(monkeypatch)

    def broken(figures, *, meta, paper_sections=None):
        raise KeyError("children")

    monkeypatch.setattr(renderers, "render_docx", broken, raising=False)

    # when
    with caplog.at_level(logging.WARNING, logger="reports.services.runs"):
        result = report_run_generate(run.pk)

    # then
    assert result is None
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.error == (
        "The Word document could not be made. Try again; if it fails again, ask the system "
        f"administrator to check the error log for report run {run.pk}."
    )
    assert "KeyError" not in run.error
    assert run.finished_at is not None
    assert not ReportFile.objects.filter(run=run).exists()
    step = next(r for r in caplog.records if r.getMessage() == "report_run_step_failed")
    assert (step.run_id, step.step) == (str(run.pk), "Word document")


def test_a_figures_failure_fails_the_run(monkeypatch):
    run = ReportRunFactory()
    stub_renderers(monkeypatch)
    monkeypatch.setattr(run_services, "report_figures", lambda start, end: 1 / 0)

    report_run_generate(run.pk)

    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.error.startswith("The figures could not be made.")


def test_a_run_stopped_by_the_time_limit_fails_as_too_slow(monkeypatch):
    run = ReportRunFactory()
    stub_renderers(monkeypatch)

    def slow(figures, *, meta, paper_sections=None):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(renderers, "render_pdf", slow, raising=False)

    report_run_generate(run.pk)

    run.refresh_from_db()
    assert (run.status, run.error) == (Status.FAILED, run_services.TOO_SLOW)


def test_a_run_that_stopped_part_way_too_often_fails_instead_of_starting_again(render_calls):
    run = RunningReportRunFactory(attempts=3, attempt_limit=3)

    result = report_run_generate(run.pk)

    assert result is None
    assert render_calls == []
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.error.startswith("The report stopped part-way 3 times")


def test_history_records_status_changes_not_every_progress_step(render_calls):
    run = ReportRunFactory()

    report_run_generate(run.pk)

    statuses = list(run.events.order_by("pgh_id").values_list("pgh_label", "status"))
    assert statuses == [("insert", "QUEUED"), ("update", "RUNNING"), ("update", "DONE")]


# --- Trying again -------------------------------------------------------------------------------
def test_retry_queues_a_failed_run_again_and_publishes_it_after_commit(
    analyst, published, django_capture_on_commit_callbacks, render_calls
):
    # given
    run = FailedReportRunFactory(attempts=3, attempt_limit=3)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        report_run_retry(run=run, actor=analyst)

    # then
    run.refresh_from_db()
    assert (run.status, run.error, run.attempt_limit) == (Status.PUBLISHED, "", 6)
    assert published == [str(run.pk)]
    # and the worker makes it as a new attempt on the same run
    done = report_run_generate(run.pk)
    assert (done.pk, done.status, done.attempts) == (run.pk, Status.DONE, 4)


def test_only_a_failed_run_can_be_tried_again(analyst, published):
    run = DoneReportRunFactory()

    with pytest.raises(ReportRunNotRetryable, match="Only a report that failed"):
        report_run_retry(run=run, actor=analyst)


def test_retry_points_at_the_newer_run_made_for_the_same_request(analyst, published):
    failed = FailedReportRunFactory(period_start=APRIL, period_end=SEPTEMBER)
    newer, _ = request_half_year(analyst)

    with pytest.raises(ReportRunNotRetryable) as refusal:
        report_run_retry(run=failed, actor=analyst)

    assert refusal.value.newer == newer


@pytest.mark.parametrize(
    ("role", "exact", "allowed"),
    [
        (Role.ANALYST, True, True),
        (Role.CP_MANAGER, False, True),
        (Role.DIRECTOR, False, False),
        (Role.TEAM_MANAGER, False, False),
    ],
)
def test_only_those_who_may_request_it_can_try_it_again(role, exact, allowed, published):
    run = FailedReportRunFactory(exact=exact)
    user = UserFactory(roles=[role])

    if allowed:
        report_run_retry(run=run, actor=user)
    else:
        with pytest.raises(PermissionDenied):
            report_run_retry(run=run, actor=user)


# --- Downloading --------------------------------------------------------------------------------
def test_opening_a_file_records_the_download_in_the_access_log(analyst):
    run = DoneReportRunFactory()

    report_file = report_file_open(user=analyst, run=run, fmt="pdf")

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action) == (analyst, AccessLogEntry.Action.DOWNLOAD)
    assert (entry.object_type, entry.object_id) == ("reports.reportfile", str(report_file.pk))
    assert entry.child_id is None


def test_a_file_of_an_exact_run_is_refused_without_exact_rights():
    run = DoneReportRunFactory(exact=True)

    with pytest.raises(PermissionDenied):
        report_file_open(user=UserFactory(roles=[Role.DIRECTOR]), run=run, fmt="pdf")
    assert not AccessLogEntry.objects.exists()


def test_a_run_that_is_not_finished_has_no_file(analyst):
    run = RunningReportRunFactory()

    with pytest.raises(ReportFile.DoesNotExist):
        report_file_open(user=analyst, run=run, fmt="pdf")
