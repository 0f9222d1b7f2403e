"""Opening a subject: scope, the reason asked for a restricted one, and the read log."""

import pytest
from django.urls import reverse

from cre_portal.audit.models import AccessLogEntry
from tests.tasking.factories import SubjectOfConcernFactory

pytestmark = pytest.mark.django_db

REASON = "Preparing for the tasking meeting"


def test_an_unrestricted_subject_opens_without_a_reason_and_the_read_is_logged(
    signed_in, social_worker
):
    subject = SubjectOfConcernFactory(created_by=social_worker, is_restricted=False)

    response = signed_in(social_worker).get(reverse("tasking:subject_detail", args=[subject.pk]))

    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.object_id, entry.child_id) == ("VIEW", str(subject.pk), None)


def test_the_reason_is_asked_once_per_session(signed_in, social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)
    client = signed_in(social_worker)
    glass = reverse("tasking:subject_break_glass", args=[subject.pk])
    client.post(glass, {"reason": REASON})

    again = client.get(glass)
    detail = client.get(reverse("tasking:subject_detail", args=[subject.pk]))
    other_page = client.get(reverse("tasking:subject_children", args=[subject.pk]))

    assert again.status_code == 302
    assert detail.status_code == 200
    assert other_page.status_code == 200
    assert AccessLogEntry.objects.filter(action="BREAK_GLASS").count() == 1
    assert AccessLogEntry.objects.filter(action="VIEW").count() == 2


def test_breaking_glass_returns_only_to_pages_of_this_site(signed_in, social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)

    response = signed_in(social_worker).post(
        reverse("tasking:subject_break_glass", args=[subject.pk]),
        {"reason": REASON, "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("tasking:subject_detail", args=[subject.pk])


def test_the_reason_page_of_a_subject_out_of_scope_is_not_found(signed_in, social_worker):
    subject = SubjectOfConcernFactory()

    response = signed_in(social_worker).post(
        reverse("tasking:subject_break_glass", args=[subject.pk]), {"reason": REASON}
    )

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()
