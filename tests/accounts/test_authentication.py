import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp

from cre_portal.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from cre_portal.accounts.roles import Role
from tests.accounts.factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def sign_in_with_password(client, email, password=TEST_PASSWORD, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def current_code(device):
    return f"{totp(device.bin_key):06d}"


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_alone_leads_to_mfa_set_up_not_home(client, social_worker):
    response = sign_in_with_password(client, social_worker.email)
    home = client.get(HOME)

    assert response.status_code == 302
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:mfa_setup"))


def test_user_with_device_is_asked_for_a_code_and_gets_in_with_it(client, social_worker):
    device = TOTPDeviceFactory(user=social_worker)
    sign_in_with_password(client, social_worker.email)
    assert client.get(HOME)["Location"].startswith(reverse("accounts:mfa_verify"))

    response = client.post(reverse("accounts:mfa_verify"), {"code": current_code(device)})

    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


def test_wrong_code_is_refused_with_a_clear_message(client, social_worker):
    TOTPDeviceFactory(user=social_worker)
    sign_in_with_password(client, social_worker.email)

    response = client.post(reverse("accounts:mfa_verify"), {"code": "000000"})

    assert response.status_code == 200
    assert "The code is not correct" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_mfa_set_up_confirms_the_device_and_signs_in(client, social_worker):
    sign_in_with_password(client, social_worker.email)
    client.get(reverse("accounts:mfa_setup"))
    device = social_worker.totpdevice_set.get()

    client.post(reverse("accounts:mfa_setup"), {"code": current_code(device)})

    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200


def test_mfa_set_up_page_shows_qr_code_and_key(client, social_worker):
    sign_in_with_password(client, social_worker.email)

    page = client.get(reverse("accounts:mfa_setup")).content.decode()

    assert "<svg" in page
    assert "Key:" in page


def test_empty_code_gets_gov_uk_message(client, social_worker):
    sign_in_with_password(client, social_worker.email)

    response = client.post(reverse("accounts:mfa_setup"), {"code": ""})

    assert "Enter the 6-digit code from your authenticator app" in response.content.decode()


@override_settings(DEMO_MODE=True)
def test_demo_account_skips_mfa_in_demo_mode(client):
    user = UserFactory(is_demo=True, roles=[Role.SOCIAL_WORKER])
    sign_in_with_password(client, user.email)

    assert client.get(HOME).status_code == 200


def test_demo_account_needs_mfa_outside_demo_mode(client):
    user = UserFactory(is_demo=True, roles=[Role.SOCIAL_WORKER])
    sign_in_with_password(client, user.email)

    assert client.get(HOME).status_code == 302


@override_settings(DEMO_MODE=True)
def test_real_account_needs_mfa_even_in_demo_mode(client, social_worker):
    sign_in_with_password(client, social_worker.email)

    assert client.get(HOME).status_code == 302


def test_wrong_password_shows_gov_uk_error(client, social_worker):
    response = sign_in_with_password(client, social_worker.email, password="wrong")

    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_email_is_matched_case_insensitively(client, social_worker):
    sign_in_with_password(client, social_worker.email.upper())

    assert client.get(HOME)["Location"].startswith(reverse("accounts:mfa_setup"))


def test_repeated_failures_lock_the_account_from_that_address(client, social_worker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, social_worker.email, password="wrong")

    response = sign_in_with_password(client, social_worker.email)

    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()


def test_lockout_does_not_stop_colleagues_behind_the_same_address(
    client, social_worker, team_manager, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, social_worker.email, password="wrong")

    response = sign_in_with_password(client, team_manager.email)

    assert response.status_code == 302


def test_idle_session_is_signed_out(signed_in, social_worker, settings):
    client = signed_in(social_worker)
    assert client.get(HOME).status_code == 200
    session = client.session
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds() + 1
    session[SESSION_LAST_SEEN] = time.time() - idle
    session.save()

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(HOME).status_code == 302


def test_session_ends_after_absolute_limit_even_when_active(signed_in, social_worker, settings):
    client = signed_in(social_worker)
    client.get(HOME)
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() - 1
    session[SESSION_LAST_SEEN] = time.time()
    session.save()

    assert client.get(HOME).status_code == 302


def test_active_session_within_limits_continues(signed_in, social_worker):
    client = signed_in(social_worker)
    client.get(HOME)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - 600
    session.save()

    assert client.get(HOME).status_code == 200


def test_deactivating_a_user_ends_their_session(signed_in, social_worker):
    client = signed_in(social_worker)

    social_worker.is_active = False
    social_worker.save()

    assert client.get(HOME).status_code == 302


def test_changing_roles_ends_the_users_sessions(signed_in, social_worker):
    client = signed_in(social_worker)
    assert client.get(HOME).status_code == 200

    social_worker.groups.add(social_worker.groups.model.objects.get(name=Role.TEAM_MANAGER))

    assert client.get(HOME).status_code == 302


def test_removing_a_user_from_a_role_via_the_group_ends_their_session(signed_in, social_worker):
    client = signed_in(social_worker)
    group = social_worker.groups.get()

    group.user_set.remove(social_worker)

    assert client.get(HOME).status_code == 302


def test_other_profile_changes_keep_the_session(signed_in, social_worker):
    client = signed_in(social_worker)

    social_worker.full_name = "Renamed Person"
    social_worker.save()

    assert client.get(HOME).status_code == 200


def test_sign_out_is_post_only_and_ends_the_session(signed_in, social_worker):
    client = signed_in(social_worker)

    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))

    assert client.get(HOME).status_code == 302


def test_next_parameter_cannot_redirect_off_site(client, social_worker):
    device = TOTPDeviceFactory(user=social_worker)
    sign_in_with_password(client, social_worker.email)

    response = client.post(
        reverse("accounts:mfa_verify") + "?next=https://evil.example/",
        {"code": current_code(device)},
    )

    assert response["Location"] == HOME


def test_changing_the_case_of_the_email_does_not_escape_the_lockout(
    client, social_worker, settings
):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        email = social_worker.email.upper() if attempt % 2 else social_worker.email
        sign_in_with_password(client, email, password="wrong")

    response = sign_in_with_password(client, social_worker.email)

    assert response.status_code == 429


def test_lockout_is_per_address_too(client, social_worker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, social_worker.email, password="wrong", address="10.0.0.1")

    response = sign_in_with_password(client, social_worker.email, address="10.0.0.2")

    assert response.status_code == 302
