"""A real Celery worker (prefork) on an isolated broker, against the pytest test database.

The worker and this process share a broker on Redis database 14, so a developer's own worker
(on the usual database) can neither steal test jobs nor answer the tests' pings.
"""

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings

from cre_portal.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
TEST_BROKER_DB = 14
STARTUP_SECONDS = 30
SHUTDOWN_SECONDS = 10
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"


@dataclass(frozen=True)
class Worker:
    hostname: str
    broker_url: str
    process: subprocess.Popen


def _isolated_broker_url() -> str:
    return urlsplit(settings.REDIS_URL)._replace(path=f"/{TEST_BROKER_DB}").geturl()


def _test_database_url() -> str:
    """The pytest-django test database as a URL; a socket-directory host is percent-encoded."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = quote(db.get("HOST") or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"


def _reset_broker_pools() -> None:
    """Celery caches its connection pools with the broker URL they were made for."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def use_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app at another broker; the env var outranks the setting."""
    saved_env = os.environ.get("CELERY_BROKER_URL")
    saved_conf = celery_app.conf.broker_url
    os.environ["CELERY_BROKER_URL"] = url
    celery_app.conf.broker_url = url
    _reset_broker_pools()
    try:
        yield
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        celery_app.conf.broker_url = saved_conf
        _reset_broker_pools()


def _worker_env(broker_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cre_portal.settings.test",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": broker_url,
        "PYTHONPATH": str(BASE_DIR),
    }


def _start_worker(hostname: str, broker_url: str, log: Path) -> subprocess.Popen:
    command = [
        str(CELERY), "-A", "cre_portal", "worker", "--pool", "prefork", "--concurrency", "1",
        "-l", "WARNING", "-n", hostname, "-I", "tests.integration.tasks", "--without-heartbeat",
        "--without-mingle", "--without-gossip",
    ]  # fmt: skip
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - fixed command, no shell
            command,
            cwd=BASE_DIR,
            env=_worker_env(broker_url),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_until_answers(worker: Worker, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            break
        replies = celery_app.control.ping(destination=[worker.hostname], timeout=0.5)
        if any(worker.hostname in reply for reply in replies):
            return
    exit_code = worker.process.poll()
    _stop_worker(worker.process)
    problem = (
        f"exited with code {exit_code}"
        if exit_code is not None
        else f"did not answer a ping within {STARTUP_SECONDS} s"
    )
    pytest.fail(f"The Celery worker {problem}. Its output:\n{log.read_text()}", pytrace=False)


def _stop_worker(process: subprocess.Popen) -> None:
    """Terminate the worker and its pool children (they share its process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=SHUTDOWN_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def live_worker(django_db_setup, tmp_path_factory) -> Iterator[Worker]:
    """A real prefork worker, reading and writing the test database through committed rows.

    Depends on `django_db_setup` so that DATABASES names the test database, not the real one.
    """
    broker_url = _isolated_broker_url()
    hostname = f"cre-test-{uuid.uuid4().hex[:8]}@pytest"
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    with use_broker(broker_url):
        celery_app.control.purge()  # jobs left over from an interrupted run
        process = _start_worker(hostname, broker_url, log)
        worker = Worker(hostname, broker_url, process)
        try:
            _wait_until_answers(worker, log)
            yield worker
        finally:
            _stop_worker(process)


@pytest.fixture
def unreachable_redis(settings) -> Iterator[None]:
    """Redis and the broker both point at a port where nothing listens."""
    settings.REDIS_URL = UNREACHABLE_REDIS_URL
    with use_broker(UNREACHABLE_REDIS_URL):
        yield
