import logging
import re

import pytest
from django import forms
from django.urls import reverse

from cre_portal.forms import GDSForm
from cre_portal.settings import base
from tests.referrals.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_every_real_environment():
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_are_kept_in_postgres_not_redis():
    assert base.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_pages_send_a_nonce_csp_without_unsafe_inline(client):
    response = client.get(reverse("accounts:login"))

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert f'nonce="{nonce}"' in response.content.decode()


def test_child_record_view_logs_no_names(signed_in, social_worker, caplog):
    child = ChildFactory(team=social_worker.team, first_name="Zebedee", last_name="Quxworth")
    caplog.set_level(logging.DEBUG)

    signed_in(social_worker).get(reverse("referrals:child_detail", args=[child.pk]))

    assert "Zebedee" not in caplog.text
    assert "Quxworth" not in caplog.text


class ExampleForm(GDSForm):
    date_of_birth = forms.DateField(label="The child's date of birth")
    agency = forms.ChoiceField(label="Agency", choices=[("A", "A")])


def test_required_fields_get_gov_uk_messages_not_djangos():
    form = ExampleForm(data={})

    assert form.errors == {
        "date_of_birth": ["Enter the child's date of birth"],
        "agency": ["Select agency"],
    }


def test_feedback_link_tokens_never_reach_the_logs(client, caplog):
    caplog.set_level(logging.INFO)

    client.get("/feedback/SECRETTOKEN123456789/")

    assert "SECRETTOKEN123456789" not in "".join(
        handler.format(record) for record in caplog.records for handler in logging.root.handlers
    )
