"""Run the demo stack on 127.0.0.1:8000: migrate, seed, then gunicorn + Celery worker + beat.

Usage (what `make run` does): ``python -m cre_portal.embedded -- python -m cre_portal.devserver``.
The service URLs must already be in the environment; the embedded wrapper provides them.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from types import FrameType

from cre_portal.embedded import DATA_DIR, PROJECT_ROOT, die_with_parent, interrupt_startup

HOST, PORT = "127.0.0.1", 8000
URL = f"http://{HOST}:{PORT}"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

_stop_requested = threading.Event()


def say(message: str) -> None:
    """Print a status line for the person at the terminal."""
    sys.stdout.write(f"{message}\n")
    sys.stdout.flush()


def ensure_secret_key() -> None:
    """Use DJANGO_SECRET_KEY if set, else a key generated once and kept in .data/secret_key."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return
    path = DATA_DIR / "secret_key"
    DATA_DIR.mkdir(exist_ok=True)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as key_file:
            key_file.write(secrets.token_urlsafe(50))
    path.chmod(0o600)
    os.environ["DJANGO_SECRET_KEY"] = path.read_text().strip()


def set_demo_defaults() -> None:
    """Plain http on 127.0.0.1 and MFA-free demo accounts, unless the caller chose otherwise."""
    ensure_secret_key()
    os.environ.setdefault("DJANGO_HTTPS", "false")
    os.environ.setdefault("CRE_DEMO_MODE", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cre_portal.settings.base")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        raise SystemExit(
            f"{' and '.join(missing)} not set: run under `python -m cre_portal.embedded --`"
        )


def manage(*args: str) -> None:
    """Run a manage.py command in the foreground; a failure stops the start-up."""
    say(f"==> manage.py {' '.join(args)}")
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, check=True)  # noqa: S603


def port_in_use() -> bool:
    """True when something already listens on the demo port (our readiness check would lie)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, PORT)) == 0


def child_commands() -> dict[str, list[str]]:
    """The three long-running processes of the demo stack, by name."""
    python = sys.executable
    celery = (python, "-m", "celery", "-A", "cre_portal")
    return {
        "web": [
            *(python, "-m", "gunicorn", "--config", "cre_portal/gunicorn.conf.py"),
            *("--bind", f"{HOST}:{PORT}", "--workers", "2", "cre_portal.wsgi:application"),
        ],
        "worker": [*celery, "worker", "-l", "INFO", "--concurrency", "2"],
        "beat": [
            *celery,
            "beat",
            "-l",
            "INFO",
            "--schedule",
            str(DATA_DIR / "celerybeat-schedule"),
        ],
    }


def start_children() -> dict[str, subprocess.Popen[bytes]]:
    """Start each child in its own session, so stopping its process group leaves no orphans."""
    children: dict[str, subprocess.Popen[bytes]] = {}
    for name, command in child_commands().items():
        say(f"==> starting {name}")
        children[name] = subprocess.Popen(  # noqa: S603
            command, cwd=PROJECT_ROOT, start_new_session=True, preexec_fn=die_with_parent
        )
    return children


def web_answers() -> bool:
    """True once the web server returns any HTTP response."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=5)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
    except OSError:
        return False
    finally:
        connection.close()
    return True


def first_exited(children: dict[str, subprocess.Popen[bytes]]) -> str | None:
    """Name of a child that has exited, if any."""
    return next((name for name, proc in children.items() if proc.poll() is not None), None)


def wait_until_ready(children: dict[str, subprocess.Popen[bytes]]) -> bool:
    """Wait for the web server to answer; False on a stop request, a dead child or timeout."""
    deadline = time.monotonic() + READY_TIMEOUT
    while not _stop_requested.is_set() and time.monotonic() < deadline:
        dead = first_exited(children)
        if dead is not None:
            say(f"{dead} exited with status {children[dead].returncode} during start-up.")
            return False
        if web_answers():
            return True
        _stop_requested.wait(0.3)
    if not _stop_requested.is_set():
        say(f"The web server did not answer within {READY_TIMEOUT:.0f} seconds.")
    return False


def supervise(children: dict[str, subprocess.Popen[bytes]]) -> int:
    """Wait for Ctrl-C/SIGTERM (exit 0) or for any child to die (exit 1)."""
    while not _stop_requested.is_set():
        dead = first_exited(children)
        if dead is not None:
            say(f"{dead} exited with status {children[dead].returncode}; stopping the others.")
            return 1
        _stop_requested.wait(0.5)
    return 0


def stop_children(children: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM every process group, wait, then SIGKILL whatever is left of each group."""
    for proc in children.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for proc in children.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    # Also reaps grandchildren (gunicorn workers, Celery pool processes) still in a group.
    for proc in children.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def request_stop(_signum: int, _frame: FrameType | None) -> None:
    """Signal handler: ask the main loop to shut everything down (repeat signals are harmless)."""
    _stop_requested.set()


def run_stack() -> int:
    """Start the three children, report when the site answers, and stop them all at the end."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, request_stop)
    children = start_children()
    try:
        if wait_until_ready(children):
            say(f"CRE Portal is running at {URL} — press Ctrl-C to stop")
            return supervise(children)
        return 0 if _stop_requested.is_set() else 1
    finally:
        say("==> stopping web, worker and beat")
        stop_children(children)


def main() -> int:
    """Prepare the database and static files, then run the stack until stopped."""
    set_demo_defaults()
    # Until the children start, a stop signal interrupts the current manage.py step.
    for signum in STOP_SIGNALS:
        signal.signal(signum, interrupt_startup)
    if port_in_use():
        say(f"Port {PORT} is already in use on {HOST}: stop whatever runs there first.")
        return 1
    try:
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput", "--verbosity", "0")
        manage("seed_demo")
    except subprocess.CalledProcessError as exc:
        say(f"Start-up failed: {' '.join(exc.cmd[1:])} exited with status {exc.returncode}.")
        return 1
    except KeyboardInterrupt:
        return 130
    return run_stack()


if __name__ == "__main__":
    sys.exit(main())
