import pghistory.models
import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from cre_portal.audit.models import AccessLogEntry
from cre_portal.audit.services import access_log_record
from referrals.models import Child
from tests.referrals.factories import ChildFactory

pytestmark = pytest.mark.django_db


def child_events(child):
    # Rows written in one transaction share pgh_created_at; the id gives their order.
    return pghistory.models.Events.objects.tracks(child).order_by("pgh_created_at", "pgh_id")


def test_a_write_leaves_a_trigger_history_row_with_the_changed_fields():
    child = ChildFactory(care_status="CIN")

    Child.objects.filter(pk=child.pk).update(care_status="CP")

    events = list(child_events(child))
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events[-1].pgh_diff["care_status"] == ["CIN", "CP"]


def test_a_write_in_a_request_records_the_user_and_request_id(signed_in, admin_user, team):
    client = signed_in(admin_user)

    response = client.post(
        reverse("admin:accounts_team_change", args=[team.pk]),
        {"name": "Renamed team", "agency": team.agency},
        HTTP_X_REQUEST_ID="req-1234567890",
    )

    assert response.status_code == 302
    event = pghistory.models.Events.objects.tracks(team).get(pgh_label="update")
    assert event.pgh_diff["name"] == [team.name, "Renamed team"]
    assert event.pgh_context["user"] == str(admin_user.pk)
    assert event.pgh_context["request_id"] == "req-1234567890"


def test_an_unsafe_request_id_from_outside_is_replaced(signed_in, social_worker):
    response = signed_in(social_worker).get("/", HTTP_X_REQUEST_ID="bad id\nFORGED")

    assert response["X-Request-ID"] != "bad id\nFORGED"
    assert len(response["X-Request-ID"]) == 32


def test_access_log_is_append_only(social_worker):
    child = ChildFactory()
    entry = access_log_record(user=social_worker, obj=child, child_id=child.pk)

    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(reason="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()

    assert AccessLogEntry.objects.get(pk=entry.pk).reason == ""
