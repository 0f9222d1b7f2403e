"""Template pages: the versions, a version's indicators, and the administrator's draft pages."""

import re

import pytest
from django.urls import reverse

from cre_portal.accounts.roles import Role
from risk_assessment.models import AssessmentTemplate
from risk_assessment.services.templates import template_new_version
from tests.accounts.factories import UserFactory
from tests.risk_assessment.factories_assessments import small_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def current():
    return small_template()


@pytest.fixture
def draft(admin_user, current):
    return template_new_version(actor=admin_user)


def words(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def url(name, obj=None):
    return reverse(f"risk_assessment:{name}", args=[obj.pk] if obj else [])


def test_versions_list(signed_in, admin_user, current, draft, django_assert_max_num_queries):
    client = signed_in(admin_user)

    with django_assert_max_num_queries(12):
        response = client.get(url("template_list"))

    assert response.status_code == 200
    page = words(response)
    assert f"Version {draft.version} Test assessment Draft 5" in page
    assert f"Version {current.version} Test assessment Current" in page
    assert "Version 1 CRE risk assessment Replaced" in page
    assert "A new version is being drafted" in page


def test_a_social_worker_reads_versions_but_cannot_change_them(signed_in, social_worker, current):
    client = signed_in(social_worker)

    page = words(client.get(url("template_detail", current)))

    assert "Trap house High on its own" in page
    assert "Add an indicator" not in page
    assert client.get(url("template_edit", current)).status_code == 403
    assert client.post(url("template_new_version")).status_code == 403


def test_a_missing_officer_cannot_read_templates(signed_in, current):
    client = signed_in(UserFactory(roles=[Role.MISSING_OFFICER]))

    assert client.get(url("template_list")).status_code == 403
    assert client.get(url("template_detail", current)).status_code == 404


def test_create_a_new_version(signed_in, admin_user, current):
    response = signed_in(admin_user).post(url("template_new_version"))

    new = AssessmentTemplate.objects.get(version=current.version + 1)
    assert response["Location"] == url("template_detail", new)
    assert new.indicators.count() == 5


def test_a_second_draft_is_refused_with_a_message(signed_in, admin_user, draft):
    client = signed_in(admin_user)

    response = client.post(url("template_new_version"), follow=True)

    assert f"Version {draft.version} is already a draft" in words(response)


def test_draft_page_offers_the_changes(signed_in, admin_user, draft):
    page = words(signed_in(admin_user).get(url("template_detail", draft)))

    assert "Add an indicator" in page
    assert f"Publish version {draft.version}" in page
    assert "Change Went missing" in page
    assert "Remove Went missing" in page


def test_edit_thresholds_keeps_the_input_on_error(signed_in, admin_user, draft):
    data = {
        "name": "Revised",
        "medium_threshold": "8",
        "high_threshold": "4",
        "loaded_at": draft.updated_at.isoformat(),
    }

    response = signed_in(admin_user).post(url("template_edit", draft), data)

    assert response.status_code == 200
    assert "The high threshold must be more than the medium threshold" in words(response)
    assert 'value="Revised"' in response.content.decode()


def test_edit_thresholds(signed_in, admin_user, draft):
    data = {
        "name": "Revised",
        "medium_threshold": "4",
        "high_threshold": "9",
        "loaded_at": draft.updated_at.isoformat(),
    }

    response = signed_in(admin_user).post(url("template_edit", draft), data)

    assert response["Location"] == url("template_detail", draft)
    draft.refresh_from_db()
    assert (draft.medium_threshold, draft.high_threshold) == (4, 9)


def test_a_stale_page_is_refused_and_keeps_the_input(signed_in, admin_user, draft):
    data = {
        "name": "Revised",
        "medium_threshold": "4",
        "high_threshold": "9",
        "loaded_at": "2020-01-01T00:00:00+00:00",
    }

    response = signed_in(admin_user).post(url("template_edit", draft), data)

    assert "Someone else changed this draft while you were editing it" in words(response)
    assert 'value="Revised"' in response.content.decode()


def test_add_change_and_remove_an_indicator(signed_in, admin_user, draft):
    client = signed_in(admin_user)
    data = {
        "domain": "PLACES",
        "text": "Seen at a car wash of concern",
        "guidance": "",
        "weight": "3",
        "position": "",
        "loaded_at": draft.updated_at.isoformat(),
    }

    added = client.post(url("template_indicator_add", draft), data)
    indicator = draft.indicators.get(code="seen-at-a-car-wash-of-concern")
    draft.refresh_from_db()
    changed = client.post(
        url("template_indicator_edit", indicator),
        {**data, "weight": "4", "is_significant": "on", "loaded_at": draft.updated_at.isoformat()},
    )
    draft.refresh_from_db()
    removed = client.post(
        url("template_indicator_remove", indicator), {"loaded_at": draft.updated_at.isoformat()}
    )

    assert added["Location"] == changed["Location"] == removed["Location"]
    assert not draft.indicators.filter(code="seen-at-a-car-wash-of-concern").exists()


def test_indicator_errors_are_shown(signed_in, admin_user, draft):
    data = {"domain": "", "text": "", "weight": "12", "loaded_at": draft.updated_at.isoformat()}

    page = words(signed_in(admin_user).post(url("template_indicator_add", draft), data))

    assert "Select the section the indicator belongs to" in page
    assert "Enter the indicator" in page
    assert "The weight must be a whole number from 1 to 10" in page


def test_publish(signed_in, admin_user, draft):
    client = signed_in(admin_user)

    page = words(client.get(url("template_publish", draft)))
    response = client.post(
        url("template_publish", draft), {"loaded_at": draft.updated_at.isoformat()}
    )

    assert "A published version cannot be changed" in page
    assert response["Location"] == url("template_detail", draft)
    assert AssessmentTemplate.objects.current() == draft


def test_pages_of_a_published_version_redirect_to_it(signed_in, admin_user, current):
    client = signed_in(admin_user)
    indicator = current.indicators.first()

    for name, obj in [
        ("template_edit", current),
        ("template_publish", current),
        ("template_indicator_add", current),
        ("template_indicator_edit", indicator),
        ("template_indicator_remove", indicator),
    ]:
        response = client.get(url(name, obj))
        assert response["Location"] == url("template_detail", current), name
