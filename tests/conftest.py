"""Actors and signed-in clients. Data belongs in factories."""

import factory
import pytest
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
