"""Actors and signed-in clients. Data belongs in factories."""

import factory
import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from cre_portal.accounts.roles import Role
from tests.accounts.factories import TeamFactory, TOTPDeviceFactory, UserFactory

factory.Faker._DEFAULT_LOCALE = "en_GB"


def sign_in(client: Client, user) -> Client:
    """Sign the client in as the user, past MFA, as the real flow leaves the session."""
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def team():
    return TeamFactory(name="North exploitation team")


@pytest.fixture
def other_team():
    return TeamFactory(name="South exploitation team")


@pytest.fixture
def social_worker(team):
    return UserFactory(team=team, roles=[Role.SOCIAL_WORKER])


@pytest.fixture
def team_manager(team):
    return UserFactory(team=team, roles=[Role.TEAM_MANAGER])


@pytest.fixture
def admin_user(team):
    return UserFactory(team=None, is_staff=True, roles=[Role.ADMINISTRATOR])


@pytest.fixture
def signed_in(client):
    """Call with a user to get the test client signed in as them (MFA passed)."""
    return lambda user: sign_in(client, user)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Leave the reused test database as the migrations left it.

    Transactional tests (browser, worker) end by emptying every table, and the rows that data
    migrations made (roles and their capabilities) go too; with --reuse-db the next run would
    start without them. Mark such tests `django_db(transaction=True, serialized_rollback=True)`:
    each then starts from the snapshot taken at set-up, and this puts it back after the last.
    """
    yield
    snapshot = getattr(connection, "_test_serialized_contents", None)
    if snapshot is None:
        return
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(snapshot)
        # flush restarted the id sequences; move them past the restored rows, or the next run's
        # migrations collide with them (e.g. a new content type).
        models = django_apps.get_models(include_auto_created=True)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
