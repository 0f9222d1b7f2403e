import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cre_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def change(client, user, **overrides):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "agency": user.agency,
        "team": user.team_id or "",
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00",
        **overrides,
    }
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_administrator_cannot_give_themselves_a_role(signed_in, admin_user):
    client = signed_in(admin_user)
    manager = Group.objects.get(name=Role.SERVICE_MANAGER)

    response = change(client, admin_user, groups=[manager.pk])

    assert response.status_code == 302
    assert not admin_user.groups.filter(name=Role.SERVICE_MANAGER).exists()


def test_administrator_cannot_make_anyone_superuser(signed_in, admin_user, social_worker):
    client = signed_in(admin_user)

    response = change(client, social_worker, is_superuser="on", is_staff="on")

    assert response.status_code == 302
    social_worker.refresh_from_db()
    assert not social_worker.is_superuser
    assert not social_worker.is_staff


def test_administrator_can_change_another_users_roles(signed_in, admin_user, social_worker):
    client = signed_in(admin_user)
    manager = Group.objects.get(name=Role.TEAM_MANAGER)

    response = change(client, social_worker, groups=[manager.pk])

    assert response.status_code == 302
    assert list(social_worker.groups.values_list("name", flat=True)) == [Role.TEAM_MANAGER]
