"""Report runs made by a real prefork worker: end to end, after the worker is killed mid-run,
and after the sweep finds a run whose worker died. Each ends with exactly one set of files.

The renderers are the real ones, so each run takes some seconds: long enough to kill the worker's
pool process while the run is being made.
"""

import datetime
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone

from cre_portal.accounts.roles import Role
from reports.models import ReportKind, ReportRun
from reports.services.runs import report_run_publish, report_run_request, report_runs_sweep
from tests.accounts.factories import TeamFactory, UserFactory
from tests.integration.tasks import rename_team
from tests.reports.factories_runs import RunningReportRunFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RUN_WAIT_SECONDS = 120
APRIL, SEPTEMBER = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)
Status = ReportRun.Status


def wait_for(condition: Callable[[], bool], seconds: float = RUN_WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Gave up waiting after {seconds} s")
        time.sleep(0.05)


def status_of(run: ReportRun) -> str:
    return ReportRun.objects.values_list("status", flat=True).get(pk=run.pk)


def drain_queue() -> None:
    """The worker runs one job at a time in order: once a later job is done, so is the earlier."""
    team = TeamFactory(name="Report queue marker")
    rename_team.delay(team.pk, "Report queue drained")
    wait_for(lambda: type(team).objects.get(pk=team.pk).name == "Report queue drained")


def pool_processes(parent_pid: int) -> list[int]:
    """The worker's pool processes: its children, read from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            after_name = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(after_name[1]) == parent_pid:
            children.append(int(stat.parent.name))
    return children


def assert_one_set_of_files(run: ReportRun) -> None:
    files = list(run.files.all())
    assert sorted(file.format for file in files) == ["docx", "pdf", "pptx", "xlsx"]
    contents = {file.format: bytes(file.content) for file in files}
    assert contents["pdf"].startswith(b"%PDF")
    assert all(contents[fmt].startswith(b"PK\x03\x04") for fmt in ("docx", "xlsx", "pptx"))


def request_half_year() -> ReportRun:
    run, created = report_run_request(
        actor=UserFactory(roles=[Role.ANALYST]),
        kind=ReportKind.CORPORATE_PARENTING,
        period_start=APRIL,
        period_end=SEPTEMBER,
        exact=False,
    )
    assert created
    return run


def test_the_worker_makes_a_requested_report_and_audits_it_under_its_name(live_worker):
    # when: a report is requested (published when the request's transaction commits)
    run = request_half_year()
    wait_for(lambda: status_of(run) == Status.DONE)

    # then
    run.refresh_from_db()
    assert (run.attempts, run.progress, run.error) == (1, 100, "")
    assert run.figures["current"]["period"] == {"start": "2025-04-01", "end": "2025-09-30"}
    assert_one_set_of_files(run)
    done = run.events.get(status=Status.DONE)
    assert done.pgh_context.metadata["task"] == "reports.tasks.generate_report_task"


def test_a_worker_killed_mid_run_gets_the_job_back_and_makes_it_once(live_worker):
    # given: the run is being made
    run = request_half_year()
    wait_for(lambda: ReportRun.objects.filter(pk=run.pk, progress__gte=20).exists())

    # when: its pool process is killed outright (as the kernel's OOM killer would)
    [pool_process] = pool_processes(live_worker.process.pid)
    os.kill(pool_process, signal.SIGKILL)

    # then: the job was not lost (late acknowledgement), and a new attempt made it, once
    wait_for(lambda: status_of(run) in (Status.DONE, Status.FAILED))
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Status.DONE, 2)
    assert_one_set_of_files(run)


def test_the_sweep_sends_again_a_run_whose_worker_died_and_it_is_made_once(live_worker):
    # given: a run left RUNNING by a worker that died long ago (nobody holds its lock)
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    run = RunningReportRunFactory(
        period_start=APRIL,
        period_end=SEPTEMBER,
        requested_at=long_ago,
        published_at=long_ago,
        started_at=long_ago,
    )

    # when
    sent = report_runs_sweep()
    wait_for(lambda: status_of(run) == Status.DONE)

    # then
    assert sent == 1
    run.refresh_from_db()
    assert run.attempts == 2
    assert_one_set_of_files(run)

    # and a duplicate message for the finished run changes nothing
    assert report_run_publish(run.pk)
    drain_queue()
    run.refresh_from_db()
    assert run.attempts == 2
    assert_one_set_of_files(run)
    assert report_runs_sweep() == 0
