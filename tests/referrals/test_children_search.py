"""Finding children: forgiving name search, dates, references, scope, and the list page."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from cre_portal.accounts.roles import Role
from referrals.models import Child
from referrals.permissions.children import visible_children
from referrals.services.child_search import (
    forgiving_search,
    parse_date,
    possible_duplicates,
    search_children,
    split_search_term,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_children import RestrictedChildFactory

pytestmark = pytest.mark.django_db

BIRTHDAY = datetime.date(2012, 3, 12)


def found(term, queryset=None):
    with forgiving_search():
        return list(search_children(Child.objects.all() if queryset is None else queryset, term))


# --- Reading the term -----------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["12/03/2012", "12-3-2012", "12.03.2012", "2012-03-12"])
def test_dates_typed_in_common_ways_are_read_day_first(typed):
    assert parse_date(typed) == BIRTHDAY


@pytest.mark.parametrize("typed", ["31/02/2012", "2012", "12/03", "CRE-000012", "Smith"])
def test_other_text_is_not_a_date(typed):
    assert parse_date(typed) is None


def test_term_splits_into_words_and_dates():
    assert split_search_term("  Jayden   12/03/2012 SMITH ") == ("jayden smith", [BIRTHDAY])


# --- Matching -------------------------------------------------------------------------------------
def test_a_slip_in_the_first_name_still_finds_the_child():
    jayden = ChildFactory(first_name="Jayden", last_name="Smith")
    ChildFactory(first_name="Olivia", last_name="Brown")

    assert found("Jaden") == [jayden]
    assert found("jaden smyth") == [jayden]


def test_part_of_a_name_finds_the_child():
    child = ChildFactory(first_name="Ella", last_name="Robinson")

    assert found("robin") == [child]


def test_an_alias_finds_the_child():
    child = ChildFactory(first_name="Marcus", last_name="Hall", known_as=["Tiny", "MJ"])

    assert found("tiny") == [child]


def test_the_case_reference_finds_the_child_first():
    wanted = ChildFactory(child_ref="CRE-000012")
    ChildFactory(child_ref="CRE-000112")

    assert found("cre-000012")[0] == wanted


def test_date_of_birth_finds_the_child():
    child = ChildFactory(date_of_birth=BIRTHDAY)
    ChildFactory(date_of_birth=datetime.date(2012, 12, 3))

    assert found("12/03/2012") == [child]


def test_name_and_date_together_narrow_the_search():
    wanted = ChildFactory(first_name="Jayden", last_name="Smith", date_of_birth=BIRTHDAY)
    ChildFactory(first_name="Jayden", last_name="Smith", date_of_birth=datetime.date(2011, 1, 1))

    assert found("jayden 12/03/2012") == [wanted]


def test_the_closest_match_comes_first():
    olivia = ChildFactory(first_name="Olivia", last_name="Smith")
    jayden = ChildFactory(first_name="Jayden", last_name="Smith")

    assert found("jayden smith") == [jayden, olivia]


def test_search_stays_inside_the_scope(social_worker, other_team):
    ChildFactory(first_name="Jayden", last_name="Smith", team=other_team)

    assert found("jayden", visible_children(social_worker)) == []


def test_search_uses_the_trigram_index():
    with forgiving_search(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = search_children(Child.objects.all(), "jaden").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "child_search_trgm" in plan


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lowered_threshold_ends_with_the_search():
    # Outside a test's own transaction, so the search's transaction really ends.
    with forgiving_search():
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        # Back to the server's default ("0.6", or "" before pg_trgm is loaded in this session).
        assert cursor.fetchone()[0] in {"0.6", ""}


# --- Possible duplicates across the authority -----------------------------------------------------
def test_duplicate_check_looks_across_the_whole_authority(social_worker, other_team):
    theirs = ChildFactory(
        first_name="Jaden", last_name="Smith", date_of_birth=BIRTHDAY, team=other_team
    )

    matches = possible_duplicates(
        social_worker, first_name="Jayden", last_name="Smith", date_of_birth=BIRTHDAY
    )

    assert [(m.child_ref, m.team_name, m.child) for m in matches] == [
        (theirs.child_ref, other_team.name, None)
    ]


def test_duplicate_in_scope_comes_with_the_record(social_worker):
    ours = ChildFactory(first_name="Jayden", last_name="Smith", team=social_worker.team)

    matches = possible_duplicates(
        social_worker, first_name="Jayden", last_name="Smith", date_of_birth=BIRTHDAY
    )

    assert [m.child for m in matches] == [ours]


def test_duplicate_check_catches_a_changed_surname_with_the_same_birthday(social_worker):
    ChildFactory(first_name="Jayden", last_name="Okafor", date_of_birth=BIRTHDAY)

    matches = possible_duplicates(
        social_worker, first_name="Jayden", last_name="Smith", date_of_birth=BIRTHDAY
    )

    assert len(matches) == 1


def test_duplicate_check_catches_day_and_month_swapped(social_worker):
    ChildFactory(first_name="Jayden", last_name="Smith", date_of_birth=datetime.date(2012, 12, 3))
    ChildFactory(first_name="Jayden", last_name="Okafor", date_of_birth=datetime.date(2012, 12, 3))

    matches = possible_duplicates(
        social_worker, first_name="Jayden", last_name="Smith", date_of_birth=BIRTHDAY
    )

    assert len(matches) == 2


def test_duplicate_check_ignores_different_children(social_worker):
    ChildFactory(first_name="Olivia", last_name="Smith", date_of_birth=datetime.date(2010, 5, 1))
    ChildFactory(first_name="Noah", last_name="Brown", date_of_birth=BIRTHDAY)

    matches = possible_duplicates(
        social_worker, first_name="Jayden", last_name="Smith", date_of_birth=BIRTHDAY
    )

    assert matches == []


# --- The list page --------------------------------------------------------------------------------
def test_list_page_searches(signed_in, social_worker):
    jayden = ChildFactory(first_name="Jayden", last_name="Smith", team=social_worker.team)
    ChildFactory(first_name="Olivia", last_name="Brown", team=social_worker.team)

    response = signed_in(social_worker).get(reverse("referrals:child_list"), {"q": "jaden"})

    assert list(response.context["page_obj"]) == [jayden]
    assert "1 child found for “jaden”" in response.content.decode()


def test_list_page_says_when_nothing_matches(signed_in, social_worker):
    response = signed_in(social_worker).get(reverse("referrals:child_list"), {"q": "zebedee"})

    page = response.content.decode()
    assert "No children match “zebedee”" in page
    assert reverse("referrals:child_create") in page


def test_pagination_keeps_the_search(signed_in, social_worker):
    ChildFactory.create_batch(30, last_name="Smith", team=social_worker.team)

    response = signed_in(social_worker).get(reverse("referrals:child_list"), {"q": "smith"})

    assert "?page=2&amp;q=smith" in response.content.decode()


def test_second_page_of_a_search(signed_in, social_worker):
    ChildFactory.create_batch(30, last_name="Smith", team=social_worker.team)

    response = signed_in(social_worker).get(
        reverse("referrals:child_list"), {"q": "smith", "page": "2"}
    )

    assert len(response.context["page_obj"].object_list) == 5


@pytest.mark.parametrize("term", ["jay\x00den", "\x00", "jayden\x07"])
def test_control_characters_are_dropped_not_a_500(signed_in, social_worker, term):
    jayden = ChildFactory(first_name="Jayden", last_name="Smith", team=social_worker.team)

    response = signed_in(social_worker).get(reverse("referrals:child_list"), {"q": term})

    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
    assert jayden in response.context["page_obj"]


def test_nul_in_the_page_number_is_harmless(signed_in, social_worker):
    response = signed_in(social_worker).get(reverse("referrals:child_list"), {"page": "\x00"})

    assert response.status_code == 200


def test_too_long_a_search_is_an_error_that_keeps_the_input(signed_in, social_worker):
    term = "x" * 101

    response = signed_in(social_worker).get(reverse("referrals:child_list"), {"q": term})

    page = response.content.decode()
    assert "Search must be 100 characters or fewer" in page
    assert f'value="{term}"' in page
    assert response.context["term"] == ""


def test_an_impossible_date_is_an_error(signed_in, social_worker):
    response = signed_in(social_worker).get(reverse("referrals:child_list"), {"q": "31/02/2012"})

    assert "Enter a real date of birth" in response.content.decode()


def test_restricted_child_shows_reference_not_name_or_birthday(signed_in, social_worker):
    child = RestrictedChildFactory(
        team=social_worker.team, first_name="Hidden", date_of_birth=BIRTHDAY
    )

    response = signed_in(social_worker).get(reverse("referrals:child_list"))

    page = response.content.decode()
    assert child.child_ref in page
    assert "Restricted record" in page
    assert "Hidden" not in page
    assert "12 March 2012" not in page


def test_restricted_child_found_by_search_stays_hidden(signed_in, social_worker):
    RestrictedChildFactory(team=social_worker.team, first_name="Hidden", last_name="Child")

    response = signed_in(social_worker).get(reverse("referrals:child_list"), {"q": "hidden"})

    page = response.content.decode()
    assert "Restricted record" in page
    assert "Hidden" not in page.split("</form>", 1)[1].replace("“hidden”", "")


def test_search_page_query_count_does_not_grow(
    signed_in, social_worker, django_assert_max_num_queries
):
    ChildFactory.create_batch(30, last_name="Smith", team=social_worker.team)
    client = signed_in(social_worker)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("referrals:child_list"), {"q": "smith"})

    assert len(response.context["page_obj"].object_list) == 25


def test_add_button_only_for_those_who_may_add(signed_in, team):
    analyst = UserFactory(team=team, roles=[Role.ANALYST])

    response = signed_in(analyst).get(reverse("referrals:child_list"))

    assert reverse("referrals:child_create") not in response.content.decode()
