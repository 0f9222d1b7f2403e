"""Report runs: requested, sent to the workers, made once, tried again, downloaded.

How a run is never lost and never made twice:
- A request stores the run (QUEUED) first and sends it to the workers only after the commit,
  robustly: with the broker down the request still succeeds and the run waits, QUEUED.
- A sweep every minute sends again what nobody is working on: runs still QUEUED, runs PUBLISHED
  so long ago the message must be lost, and RUNNING runs whose worker died.
- Whoever makes a run holds a PostgreSQL advisory lock on it for as long as it works. The lock
  goes with the worker's database connection, so "RUNNING and nobody holds the lock" means the
  worker died: a redelivered or re-sent job then takes the run over at once (a new attempt),
  while a duplicate job for a run someone is still making simply ends.
- The files are stored in one transaction with DONE, and only by the attempt that owns the run,
  so there is one set of files whatever was delivered twice.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from kombu.exceptions import OperationalError

from cre_portal.accounts.models import User
from cre_portal.audit.models import AccessLogEntry
from cre_portal.audit.services import access_log_record
from reports import renderers
from reports.figures import report_figures
from reports.models import (
    FORMAT_NAMES,
    ReportFile,
    ReportFormat,
    ReportKind,
    ReportRun,
    request_key_for,
)
from reports.permissions.runs import can_request_report, can_retry_report_run, can_view_run
from reports.services.templates import paper_sections
from reports.suppression import suppress

logger = logging.getLogger(__name__)

Status = ReportRun.Status
T = TypeVar("T")

ATTEMPTS_PER_REQUEST = 3
# A run still QUEUED this long after it was stored was not sent: the broker was down.
UNPUBLISHED_AFTER = timedelta(minutes=1)
# Redis hands an unacknowledged message out again after this; a PUBLISHED run older than that
# was lost from the queue (a Redis restart without persistence).
LOST_AFTER = timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"])
# A job redelivered because its worker died may arrive before the dead session has ended.
LOCK_WAIT_SECONDS = 2.0
LOCK_RETRY_SECONDS = 0.2
# Keeps these locks apart from any other advisory lock (the sign bit stays clear).
LOCK_NAMESPACE = b"reports.ReportRun"

STOPPED_TOO_OFTEN = (
    "The report stopped part-way {n} times and was not tried again. Try again later; if it "
    "stops again, ask the system administrator to check the report workers."
)
TOO_SLOW = "The report took too long to make and was stopped. Try again later."
STEP_FAILED = (
    "The {what} could not be made. Try again; if it fails again, ask the system administrator "
    "to check the error log for report run {run_id}."
)
TITLES: dict[str, str] = {
    ReportKind.CORPORATE_PARENTING: "Child exploitation: Corporate Parenting report",
    ReportKind.LAC_DATA_PACK: "Child exploitation: looked-after children data pack",
}


class ReportRunNotRetryable(Exception):
    """The run cannot be tried again; `message` says why, `newer` is the run to see instead."""

    def __init__(self, message: str, newer: ReportRun | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.newer = newer


class _StepFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Requesting ---------------------------------------------------------------------------------
def report_run_request(
    *,
    actor: User | None,
    kind: str,
    period_start: date,
    period_end: date,
    exact: bool,
    publish: bool = True,
) -> tuple[ReportRun, bool]:
    """Store a request for a report, or find the same request already made; True if new.

    `actor=None` is the system (a schedule). The data pack is for internal use: always exact.
    """
    exact = exact or kind == ReportKind.LAC_DATA_PACK
    if actor is not None and not can_request_report(actor, exact=exact):
        raise PermissionDenied
    if period_end < period_start:
        raise ValidationError("The end of the period must be the same as or after its start")
    key = request_key_for(kind, period_start, period_end, exact)
    with transaction.atomic():
        existing = ReportRun.objects.live().filter(request_key=key).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                run = ReportRun.objects.create(
                    kind=kind,
                    period_start=period_start,
                    period_end=period_end,
                    exact=exact,
                    requested_by=actor,
                    requested_at=timezone.now(),
                    request_key=key,
                    attempt_limit=ATTEMPTS_PER_REQUEST,
                )
        except IntegrityError:
            # The same request, made at the same moment by someone else, was stored first.
            return ReportRun.objects.live().get(request_key=key), False
        if publish:
            _publish_after_commit(run.pk)
    return run, True


def _publish_after_commit(run_id: uuid.UUID) -> None:
    # robust: whatever goes wrong while publishing, the request that stored the run succeeds.
    transaction.on_commit(partial(report_run_publish, run_id), robust=True)


def report_run_publish(run_id: uuid.UUID) -> bool:
    """Send the run to the workers; with the broker down it stays as it is for the sweep."""
    # The task module imports this one, so the task is looked up when it is first needed.
    from reports.tasks import generate_report_task

    try:
        # Celery's default publishing retries give up within a second against a refused
        # connection (retry=False would wait the whole broker connection timeout instead).
        generate_report_task.delay(str(run_id))
    except (OperationalError, OSError) as error:
        # The run's id only: the error's text may carry the broker's address and credentials.
        logger.warning(
            "report_run_not_published",
            extra={"run_id": str(run_id), "error": type(error).__name__},
        )
        return False
    ReportRun.objects.filter(pk=run_id).exclude(status__in=[Status.DONE, Status.FAILED]).update(
        status=Case(When(status=Status.QUEUED, then=Value(Status.PUBLISHED)), default=F("status")),
        published_at=timezone.now(),
    )
    return True


# --- The sweep ----------------------------------------------------------------------------------
def report_runs_sweep(now: datetime | None = None) -> int:
    """Send again the runs nobody is working on; returns how many were sent."""
    now = now or timezone.now()
    candidates = ReportRun.objects.filter(
        Q(status=Status.QUEUED, requested_at__lt=now - UNPUBLISHED_AFTER)
        | Q(status=Status.PUBLISHED, published_at__lt=now - LOST_AFTER)
        # Not already sent again since this attempt started, unless that message is lost too.
        | Q(status=Status.RUNNING)
        & (
            Q(published_at__isnull=True)
            | Q(published_at__lt=F("started_at"))
            | Q(published_at__lt=now - LOST_AFTER)
        )
    ).values_list("pk", "status")
    held = _held_run_locks()
    sent = 0
    for run_id, status in candidates:
        if status == Status.RUNNING and _lock_key(run_id) in held:
            continue  # its worker is alive and still making it
        sent += report_run_publish(run_id)
    return sent


# --- Making a run -------------------------------------------------------------------------------
def _lock_key(run_id: uuid.UUID) -> int:
    digest = hashlib.sha256(LOCK_NAMESPACE + run_id.bytes).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _held_run_locks() -> set[int]:
    """The advisory locks (64-bit keys) held now by any session."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks "
            "WHERE locktype = 'advisory' AND objsubid = 1 AND granted"
        )
        return {row[0] for row in cursor.fetchall()}


def _try_lock(key: int) -> bool:
    """Take the lock, waiting a moment: a dead worker's session can take that long to end."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if cursor.fetchone()[0]:  # type: ignore[index]
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(LOCK_RETRY_SECONDS)


@contextmanager
def _worker_lock(run_id: uuid.UUID) -> Iterator[bool]:
    """Hold the run's lock while making it; yields False if another worker holds it."""
    key = _lock_key(run_id)
    locked = _try_lock(key)
    try:
        yield locked
    finally:
        if locked:
            _unlock(key)


def _unlock(key: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    except DatabaseError:
        pass  # the connection is gone, and the lock went with it


def report_run_generate(run_id: uuid.UUID) -> ReportRun | None:
    """Make the run's files; safe to call twice and after a worker died. None if not made now."""
    with _worker_lock(run_id) as locked:
        if not locked:
            return None
        run = _claim(run_id)
        if run is None:
            return None
        return _make(run)


@transaction.atomic
def _claim(run_id: uuid.UUID) -> ReportRun | None:
    """Start a new attempt, unless the run is finished or has stopped part-way too often."""
    run = ReportRun.objects.select_for_update(skip_locked=True).filter(pk=run_id).first()
    if run is None or run.is_finished:
        return None
    if run.attempts >= run.attempt_limit:
        _fail(run, STOPPED_TOO_OFTEN.format(n=ATTEMPTS_PER_REQUEST))
        return None
    run.attempts += 1
    run.status = Status.RUNNING
    run.started_at = timezone.now()
    run.progress, run.progress_label, run.error = 0, "Starting", ""
    run.save(
        update_fields=[
            "attempts",
            "status",
            "started_at",
            "progress",
            "progress_label",
            "error",
            "updated_at",
        ]
    )
    return run


def _make(run: ReportRun) -> ReportRun | None:
    try:
        figures = _step(run, 5, "Counting the figures", "figures", lambda: _figures(run))
        files = _render_all(run, figures)
    except SoftTimeLimitExceeded:
        _fail(run, TOO_SLOW)
        return None
    except _StepFailed as failure:
        _fail(run, failure.reason)
        return None
    return _store(run, figures, files)


def _figures(run: ReportRun) -> dict[str, Any]:
    return report_figures(run.period_start, run.period_end)


def _render_all(run: ReportRun, figures: dict[str, Any]) -> dict[str, bytes]:
    """Each file in turn, the progress moving from 20% to 95% as they are made."""
    shown = figures if run.exact else {name: suppress(part) for name, part in figures.items()}
    meta = {
        "title": TITLES[run.kind],
        "council_name": settings.COUNCIL_NAME,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "generated_at": timezone.now(),
        "exact": run.exact,
    }
    files: dict[str, bytes] = {}
    share = 75 // len(run.formats)
    for index, fmt in enumerate(run.formats):
        what = FORMAT_NAMES[fmt]
        make = partial(_render, fmt, shown, meta, run.kind)
        files[fmt] = _step(run, 20 + index * share, f"Making the {what}", what, make)
    return files


def _render(fmt: str, figures: dict[str, Any], meta: dict[str, Any], kind: str) -> bytes:
    if fmt == ReportFormat.DOCX:
        return renderers.render_docx(figures, meta=meta, paper_sections=paper_sections(kind))
    render: Callable[..., bytes] = getattr(renderers, f"render_{fmt}")
    return render(figures, meta=meta)


def _step(run: ReportRun, progress: int, label: str, what: str, make: Callable[[], T]) -> T:
    """Show the step on the run's page, then do it; a failure becomes a reason to show."""
    _set_progress(run, progress, label)
    try:
        return make()
    except SoftTimeLimitExceeded:
        raise
    except Exception as error:
        # A renderer's or a query's bug must fail the run with a reason, not leave it running.
        logger.exception("report_run_step_failed", extra={"run_id": str(run.pk), "step": what})
        raise _StepFailed(STEP_FAILED.format(what=what, run_id=run.pk)) from error


def _mine(run: ReportRun) -> Any:
    """This attempt's run, and only while it still owns it."""
    return ReportRun.objects.filter(pk=run.pk, attempts=run.attempts, status=Status.RUNNING)


def _set_progress(run: ReportRun, progress: int, label: str) -> None:
    # Its own short transaction (autocommit), so the run's page sees it at once.
    _mine(run).update(progress=progress, progress_label=label, updated_at=timezone.now())


def _fail(run: ReportRun, reason: str) -> None:
    now = timezone.now()
    updated = ReportRun.objects.filter(pk=run.pk, attempts=run.attempts).exclude(
        status__in=[Status.DONE, Status.FAILED]
    )
    updated.update(status=Status.FAILED, error=reason, finished_at=now, updated_at=now)
    logger.warning("report_run_failed", extra={"run_id": str(run.pk), "attempt": run.attempts})


@transaction.atomic
def _store(run: ReportRun, figures: dict[str, Any], files: dict[str, bytes]) -> ReportRun | None:
    """Store the files and finish, if this attempt still owns the run; else leave them."""
    owned = _mine(run).select_for_update().first()
    if owned is None:
        return None
    ReportFile.objects.bulk_create(
        ReportFile(
            run=owned,
            format=fmt,
            filename=owned.filename(fmt),
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        for fmt, content in files.items()
    )
    owned.status = Status.DONE
    owned.figures = figures
    owned.progress, owned.progress_label = 100, "Ready"
    owned.finished_at = timezone.now()
    owned.save(
        update_fields=[
            "status",
            "figures",
            "progress",
            "progress_label",
            "finished_at",
            "updated_at",
        ]
    )
    logger.info("report_run_done", extra={"run_id": str(owned.pk), "attempt": owned.attempts})
    return owned


# --- Trying again and downloading ---------------------------------------------------------------
@transaction.atomic
def report_run_retry(*, run: ReportRun, actor: User) -> ReportRun:
    """Try a failed run again: a new attempt on the same run, sent to the workers."""
    if not can_retry_report_run(actor, run):
        raise PermissionDenied
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != Status.FAILED:
        raise ReportRunNotRetryable("Only a report that failed can be tried again")
    newer = ReportRun.objects.live().filter(request_key=run.request_key).first()
    if newer is not None:
        raise ReportRunNotRetryable("This report has been requested again since", newer=newer)
    run.status = Status.QUEUED
    run.attempt_limit = run.attempts + ATTEMPTS_PER_REQUEST
    run.progress, run.progress_label, run.error = 0, "", ""
    run.published_at = run.started_at = run.finished_at = None
    run.save(
        update_fields=[
            "status",
            "attempt_limit",
            "progress",
            "progress_label",
            "error",
            "published_at",
            "started_at",
            "finished_at",
            "updated_at",
        ]
    )
    _publish_after_commit(run.pk)
    return run


@transaction.atomic
def report_file_open(*, user: User, run: ReportRun, fmt: str) -> ReportFile:
    """A finished run's file, for download; the download is written to the access log."""
    if not can_view_run(user, run):
        raise PermissionDenied
    report_file = ReportFile.objects.get(run=run, format=fmt, run__status=Status.DONE)
    access_log_record(
        user=user, obj=report_file, child_id=None, action=AccessLogEntry.Action.DOWNLOAD
    )
    return report_file
