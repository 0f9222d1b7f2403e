"""/healthz reports each dependency as up or down, and nothing more."""

import pytest
from django.conf import settings
from django.urls import reverse


def get_healthz(client):
    response = client.get(reverse("healthz"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    return response


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_is_ok_when_database_redis_and_worker_are_up(client, live_worker):
    response = get_healthz(client)

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "up", "redis": "up", "worker": "up"},
    }


@pytest.mark.django_db
def test_healthz_is_unavailable_when_redis_is_down(client, unreachable_redis):
    response = get_healthz(client)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "up", "redis": "down", "worker": "down"},
    }
