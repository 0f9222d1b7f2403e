import pytest
from django.urls import reverse

from cre_portal.audit.models import AccessLogEntry
from cre_portal.audit.services import access_log_record
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory, LookedAfterChildFactory

pytestmark = pytest.mark.django_db


def test_child_detail_shows_record_and_logs_the_read(signed_in, social_worker):
    child = LookedAfterChildFactory(team=social_worker.team, placing_authority="Southdale")
    client = signed_in(social_worker)

    response = client.get(reverse("referrals:child_detail", args=[child.pk]))

    assert response.status_code == 200
    assert child.full_name in response.content.decode()
    assert "Southdale" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.child_id, entry.action) == (social_worker, child.pk, "VIEW")
    assert entry.object_type == "referrals.child"
    assert entry.request_id == response["X-Request-ID"]


def test_child_of_another_team_is_not_found_and_not_logged(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)

    response = signed_in(social_worker).get(reverse("referrals:child_detail", args=[child.pk]))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_child_allocated_to_worker_in_another_team_is_visible(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team, allocated_worker=social_worker)

    response = signed_in(social_worker).get(reverse("referrals:child_detail", args=[child.pk]))

    assert response.status_code == 200


def test_record_pages_are_never_cached(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).get(reverse("referrals:child_detail", args=[child.pk]))

    assert "no-store" in response["Cache-Control"]


def test_child_list_is_paginated_and_query_count_does_not_grow(
    signed_in, social_worker, django_assert_max_num_queries
):
    ChildFactory.create_batch(30, team=social_worker.team)
    client = signed_in(social_worker)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:child_list"))

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 25


def test_access_log_page_lists_who_looked(signed_in, team_manager, social_worker):
    child = ChildFactory(team=team_manager.team)
    access_log_record(user=social_worker, obj=child, child_id=child.pk)

    response = signed_in(team_manager).get(reverse("referrals:child_access_log", args=[child.pk]))

    assert response.status_code == 200
    assert social_worker.display_name in response.content.decode()


def test_social_worker_cannot_read_access_log(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).get(reverse("referrals:child_access_log", args=[child.pk]))

    assert response.status_code == 404


def test_administrator_reads_any_childs_access_log_but_not_the_record(signed_in, admin_user):
    child = ChildFactory()
    client = signed_in(admin_user)

    assert client.get(reverse("referrals:child_access_log", args=[child.pk])).status_code == 200
    assert client.get(reverse("referrals:child_detail", args=[child.pk])).status_code == 404


def test_user_without_role_sees_no_children(signed_in):
    user = UserFactory()
    ChildFactory(team=user.team)

    response = signed_in(user).get(reverse("referrals:child_list"))

    assert response.context["page_obj"].paginator.count == 0


def test_restricted_record_asks_for_a_reason_before_opening(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team, is_restricted=True)
    client = signed_in(social_worker)
    detail = reverse("referrals:child_detail", args=[child.pk])

    first = client.get(detail)

    assert first.status_code == 302
    assert first["Location"].startswith(reverse("referrals:child_break_glass", args=[child.pk]))
    assert child.full_name not in client.get(first["Location"]).content.decode()
    assert not AccessLogEntry.objects.exists()


def test_reason_is_logged_and_opens_the_record_for_the_session(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team, is_restricted=True)
    client = signed_in(social_worker)
    detail = reverse("referrals:child_detail", args=[child.pk])

    response = client.post(
        reverse("referrals:child_break_glass", args=[child.pk]),
        {"reason": "Strategy meeting this afternoon", "next": detail},
    )

    assert response["Location"] == detail
    assert client.get(detail).status_code == 200
    entries = AccessLogEntry.objects.order_by("id")
    assert [e.action for e in entries] == ["BREAK_GLASS", "VIEW"]
    assert entries[0].reason == "Strategy meeting this afternoon"


def test_break_glass_needs_a_real_reason(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team, is_restricted=True)

    response = signed_in(social_worker).post(
        reverse("referrals:child_break_glass", args=[child.pk]), {"reason": ""}
    )

    assert "Enter why you need to open this record" in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_break_glass_reason_shows_on_the_access_log(signed_in, social_worker, team_manager):
    child = ChildFactory(team=social_worker.team, is_restricted=True)
    signed_in(social_worker).post(
        reverse("referrals:child_break_glass", args=[child.pk]),
        {"reason": "Police called about a sighting"},
    )

    page = signed_in(team_manager).get(reverse("referrals:child_access_log", args=[child.pk]))

    assert "Police called about a sighting" in page.content.decode()
