import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cre_portal.audit.models import AccessLogEntry, CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.timescales import LONDON
from referrals.services.notes import case_note_create
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import ReferralFactory

pytestmark = pytest.mark.django_db


def _at(days_ago, hour=10, minute=0):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def _event(child, *, category="MISSING", summary="Missing episode started", obj=None, **kwargs):
    return case_event_record(
        child_id=child.pk,
        category=category,
        verb="something_happened",
        summary=summary,
        obj=obj or child,
        actor=kwargs.pop("actor", None),
        **kwargs,
    )


def _get(client, child, **params):
    return client.get(reverse("referrals:child_chronology", args=[child.pk]), params)


def _summaries(response):
    return [entry.event.summary for entry in response.context["entries"]]


def test_chronology_shows_every_areas_events_newest_first(signed_in, social_worker):
    # given
    child = ChildFactory(team=social_worker.team)
    _event(child, summary="Oldest", occurred_at=_at(5))
    _event(child, category="NRM", summary="Newest", occurred_at=_at(1))
    _event(child, category="REFERRAL", summary="Middle", occurred_at=_at(3))
    _event(ChildFactory(team=social_worker.team), summary="Another child's")

    # when
    response = _get(signed_in(social_worker), child)

    # then
    assert response.status_code == 200
    assert "referrals/chronology.html" in [t.name for t in response.templates]
    assert _summaries(response) == ["Newest", "Middle", "Oldest"]
    assert AccessLogEntry.objects.filter(child_id=child.pk).count() == 1


def test_entry_shows_when_category_who_and_link(signed_in, social_worker):
    # given
    referral = ReferralFactory(child__team=social_worker.team)
    _event(
        referral.child,
        category="REFERRAL",
        summary="CCE referral received from 2A School",
        obj=referral,
        actor=social_worker,
        occurred_at=_at(2, 9, 15),
    )

    # when
    page = _get(signed_in(social_worker), referral.child).content.decode()

    # then
    assert "CCE referral received from 2A School" in page
    assert reverse("referrals:referral_detail", args=[referral.pk]) in page
    assert f"{_at(2).day} {_at(2):%B %Y}, 09:15" in page
    assert ">Referral</strong>" in page
    assert social_worker.display_name in page


def test_events_about_records_without_a_page_have_no_link(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    event = _event(child, summary="Risk level set")
    CaseEvent.objects.filter(pk=event.pk).update(object_type="tasking.subjectofconcern")

    response = _get(signed_in(social_worker), child)

    assert response.context["entries"][0].url == ""


def test_dated_steps_show_without_a_midnight_time(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    _event(child, summary="Referral screened", occurred_at=_at(4, 0, 0))

    response = _get(signed_in(social_worker), child)

    entry = response.context["entries"][0]
    assert not entry.has_time
    assert f"{_at(4):%B %Y}, 00:00" not in response.content.decode()


def test_note_events_show_the_notes_text(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    note = case_note_create(
        child=child,
        actor=social_worker,
        occurred_at=_at(1),
        title="Call from school",
        text="Not in school since Monday.",
        is_significant=True,
    )

    page = _get(signed_in(social_worker), child).content.decode()

    assert "Call from school" in page
    assert "Not in school since Monday." in page
    assert reverse("referrals:case_note_detail", args=[note.pk]) in page
    assert "Significant" in page


def _add_notes(child, author, count, first_day):
    for n in range(count):
        case_note_create(
            child=child, actor=author, occurred_at=_at(first_day + n), title=f"Note {n}", text="x"
        )


def test_notes_text_is_fetched_in_one_query_for_the_page(
    signed_in, social_worker, django_assert_num_queries
):
    # given: the page's queries with 2 notes on it
    child = ChildFactory(team=social_worker.team)
    client = signed_in(social_worker)
    _add_notes(child, social_worker, 2, first_day=1)
    _get(client, child)  # the first request of a session does extra once-only work
    with CaptureQueriesContext(connection) as two_notes:
        _get(client, child)
    _add_notes(child, social_worker, 20, first_day=3)

    # when: 22 notes on the page
    with django_assert_num_queries(len(two_notes.captured_queries)) as many_notes:
        response = _get(client, child)

    # then: the same number of queries, one of them for all the notes' text
    note_queries = [q for q in many_notes.captured_queries if "referrals_casenote" in q["sql"]]
    assert len(note_queries) == 1
    assert len(response.context["entries"]) == 22
    assert all(entry.note_text == "x" for entry in response.context["entries"])


def test_chronology_is_paginated_by_25_with_bounded_queries(
    signed_in, social_worker, django_assert_max_num_queries
):
    child = ChildFactory(team=social_worker.team)
    for n in range(30):
        _event(child, summary=f"Event {n}", occurred_at=_at(n), actor=social_worker)
    client = signed_in(social_worker)

    with django_assert_max_num_queries(14):
        response = _get(client, child)

    assert len(response.context["entries"]) == 25
    assert response.context["page_obj"].paginator.count == 30
    second = _get(client, child, page=2)
    assert len(second.context["entries"]) == 5


def test_filter_by_category(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    _event(child, category="MISSING", summary="Missing")
    _event(child, category="NRM", summary="NRM")
    _event(child, category="NOTE", summary="Note")

    response = _get(signed_in(social_worker), child, category=["MISSING", "NOTE"])

    assert sorted(_summaries(response)) == ["Missing", "Note"]


def test_filter_significant_only(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    _event(child, summary="Routine")
    _event(child, summary="Significant one", is_significant=True)

    response = _get(signed_in(social_worker), child, significant="on")

    assert _summaries(response) == ["Significant one"]


def test_filter_by_date_range_uses_london_days(signed_in, social_worker):
    # given: one event late in the evening (local), others either side of the range
    child = ChildFactory(team=social_worker.team)
    _event(child, summary="Before", occurred_at=_at(10))
    _event(child, summary="Late on the first day", occurred_at=_at(8, 23, 30))
    _event(child, summary="Last day", occurred_at=_at(6, 8))
    _event(child, summary="After", occurred_at=_at(2))
    start, end = _at(8).date(), _at(6).date()

    # when
    response = _get(
        signed_in(social_worker),
        child,
        date_from_0=start.day,
        date_from_1=start.month,
        date_from_2=start.year,
        date_to_0=end.day,
        date_to_1=end.month,
        date_to_2=end.year,
    )

    # then
    assert _summaries(response) == ["Last day", "Late on the first day"]


def test_pagination_links_keep_the_filters(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    for _ in range(26):
        _event(child, category="MISSING")

    page = _get(signed_in(social_worker), child, category="MISSING").content.decode()

    assert "?page=2&amp;category=MISSING" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "BOGUS"}, "Select categories from the list"),
        (
            {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2024"},
            "Start date must be a real date",
        ),
        (
            {
                "date_from_0": "10",
                "date_from_1": "3",
                "date_from_2": "2024",
                "date_to_0": "1",
                "date_to_1": "3",
                "date_to_2": "2024",
            },
            "End date must be the same as or after the start date",
        ),
        ({"date_to_0": "1\x00", "date_to_1": "3", "date_to_2": "2024"}, "End date must be a real"),
    ],
)
def test_bad_filters_are_explained_and_not_applied(signed_in, social_worker, params, message):
    child = ChildFactory(team=social_worker.team)
    _event(child, summary="Shown anyway")

    response = _get(signed_in(social_worker), child, **params)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "<title>Error: Chronology" in page
    assert _summaries(response) == ["Shown anyway"]


def test_chronology_of_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)
    _event(child)

    response = _get(signed_in(social_worker), child)

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_empty_chronology_says_so(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    page = _get(signed_in(social_worker), child).content.decode()

    assert "Nothing has been recorded on this child's record yet." in page


def test_filter_form_puts_no_csrf_token_in_the_address(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    page = _get(signed_in(social_worker), child).content.decode()

    form = page[page.index('<form method="get"') : page.index("</form>")]
    assert "csrfmiddlewaretoken" not in form


def test_event_whose_record_id_does_not_fit_the_page_has_no_link(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    event = _event(child, category="REFERRAL", summary="Imported referral")
    CaseEvent.objects.filter(pk=event.pk).update(
        object_type="referrals.referral", object_id="legacy-42"
    )

    response = _get(signed_in(social_worker), child)

    assert response.status_code == 200
    assert response.context["entries"][0].url == ""
