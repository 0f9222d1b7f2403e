import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from cre_portal.audit.models import CaseEvent
from cre_portal.demo import seed
from referrals.models import Child, MissingEpisode, Referral

pytestmark = pytest.mark.django_db


def totals():
    return [m.objects.count() for m in (Child, Referral, MissingEpisode, CaseEvent)]


def test_demo_data_is_believable_and_loading_it_twice_changes_nothing():
    users, password = seed(child_count=30, with_reports=False)
    first = totals()

    seed(password, child_count=30, with_reports=False)

    assert totals() == first
    assert first[0] == 30
    assert first[1] > 10
    assert all(user.check_password(password) and user.is_demo for user in users)


def test_demo_data_refuses_to_load_outside_demo_mode():
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError):
        call_command("seed_demo")
