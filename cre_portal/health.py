"""Checks behind /healthz: each answers up or down and nothing more."""

import redis
from django.conf import settings
from django.db import connection

from cre_portal.celery import app as celery_app

TIMEOUT_SECONDS = 1.0


def database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def redis_up() -> bool:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def worker_up() -> bool:
    """At least one Celery worker answers a ping through the broker (the first reply will do)."""
    try:
        return bool(celery_app.control.ping(timeout=TIMEOUT_SECONDS, limit=1))
    except Exception:
        return False


def health() -> dict[str, str]:
    broker_reachable = redis_up()
    return {
        "database": "up" if database_up() else "down",
        "redis": "up" if broker_reachable else "down",
        # Without the broker no worker can be reached, and pinging it would only wait.
        "worker": "up" if broker_reachable and worker_up() else "down",
    }
