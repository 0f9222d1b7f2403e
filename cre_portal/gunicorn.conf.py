"""Gunicorn settings shared by `make run` and the container image.

Bind address and worker count come from the command line (`--bind`, `--workers`) or gunicorn's
own environment variables (`WEB_CONCURRENCY`, `GUNICORN_CMD_ARGS`).
"""

import logging
import os
import re

from cre_portal.audit.logging import mask_secrets

wsgi_app = "cre_portal.wsgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Addresses of the reverse proxies whose X-Forwarded-* headers gunicorn may trust.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Worker heartbeat files on tmpfs: a disk-backed /tmp can stall workers into timeouts.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
timeout = 60
# No runtime control socket (gunicorn 25+): nothing uses gunicornc, and it is one less way in.
control_socket_disable = True
graceful_timeout = 20
# Bound the request line and headers; the app never needs more.
limit_request_line = 4094
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "INFO").lower()
# Path only (%(U)s), never the query string or the referrer: search queries can hold a child's
# name. One JSON object per line, like the Django logs.
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": "%(s)s", "bytes": "%(B)s", "duration_ms": "%(M)s", '
    '"request_id": "%({x-request-id}o)s"}'
)

_QUERY_STRING = re.compile(r"\?\S*")


class DropQueryStrings(logging.Filter):
    """Remove query strings and secret link tokens (feedback links) from gunicorn's logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message in place; never drops a record."""
        message = mask_secrets(_QUERY_STRING.sub("?[removed]", record.getMessage()))
        record.msg, record.args = message, ()
        return True


def on_starting(server: object) -> None:
    """Install the filter once; forked workers inherit the loggers and their filters."""
    logging.getLogger("gunicorn.error").addFilter(DropQueryStrings())
    logging.getLogger("gunicorn.access").addFilter(DropQueryStrings())
