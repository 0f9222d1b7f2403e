"""The report on screen and its charts: who may read them, exact or suppressed, the period."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertTemplateUsed

from cre_portal.accounts.roles import Role
from reports.renderers.sections import CHART_NAMES
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.referrals.factories import ChildFactory, LookedAfterChildFactory
from tests.referrals.factories_referrals import ReferralFactory
from tests.reports.fixtures_figures import exact_figures

pytestmark = pytest.mark.django_db

SCREEN = reverse("reports:screen")
READERS = {Role.ANALYST, Role.DIRECTOR, Role.SERVICE_MANAGER, Role.CP_MANAGER, Role.TEAM_MANAGER}
EXACT_READERS = {Role.ANALYST, Role.SERVICE_MANAGER, Role.CP_MANAGER}
OCTOBER_2025 = datetime.date(2025, 10, 14)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """14 October 2025: the last complete half-year is April to September 2025."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: OCTOBER_2025)


@pytest.fixture
def fixed_figures(monkeypatch):
    """The hand-written exact figures, whatever the period asked for; records the periods."""
    asked = []

    def report_figures(start, end):
        asked.append((start, end))
        return exact_figures()

    monkeypatch.setattr("reports.views.screen.report_figures", report_figures)
    return asked


def svg(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 - the app's own SVG, not untrusted input


def svg_texts(response) -> set[str]:
    return {element.text for element in svg(response).iter("{http://www.w3.org/2000/svg}text")}


def reader(role: Role | None) -> Client:
    return sign_in(Client(), UserFactory(roles=[role] if role else []))


def row_cells(response, label: str) -> list[str]:
    """The cells of the first table row headed `label`, as shown."""
    html = response.content.decode()
    start = html.index(f'<th scope="row" class="govuk-table__header">{label}</th>')
    row = html[start : html.index("</tr>", start)]
    return [part.split("</td>")[0].strip() for part in row.split('numeric">')[1:]]


# --- Who may read it -------------------------------------------------------------------------
@pytest.mark.parametrize("role", [*Role, None], ids=lambda role: role or "no role")
def test_report_page_is_for_report_readers_only(role, fixed_figures):
    response = reader(role).get(SCREEN)

    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("role", [*Role, None], ids=lambda role: role or "no role")
def test_chart_is_for_report_readers_only(role, fixed_figures):
    response = reader(role).get(reverse("reports:chart", kwargs={"name": "risk-levels"}))

    assert response.status_code == (200 if role in READERS else 403)


def test_signed_out_visitor_is_sent_to_sign_in(fixed_figures):
    response = Client().get(SCREEN)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not fixed_figures


# --- Exact or suppressed ---------------------------------------------------------------------
@pytest.mark.parametrize("role", sorted(READERS), ids=str)
def test_exact_figures_only_for_those_with_the_capability(role, fixed_figures):
    response = reader(role).get(SCREEN)

    placed_in = row_cells(response, "Placed here by another authority")
    if role in EXACT_READERS:
        assert placed_in == ["4", "3", "+1"]
        assert b"Not for publication" in response.content
        assert response.context["exact"] is True
    else:
        assert placed_in == ["&lt;5", "&lt;5", "Not shown"]
        assert b"Not for publication" not in response.content
        assert response.context["exact"] is False


def test_suppressed_chart_labels_small_counts_as_fewer_than_five(fixed_figures):
    response = reader(Role.DIRECTOR).get(
        reverse("reports:chart", kwargs={"name": "children-by-ethnicity-group"})
    )

    texts = svg_texts(response)
    assert "<5" in texts
    assert not texts & {"1", "2", "3"}


def test_exact_chart_shows_small_counts(fixed_figures):
    response = reader(Role.ANALYST).get(
        reverse("reports:chart", kwargs={"name": "children-by-ethnicity-group"})
    )

    texts = svg_texts(response)
    assert {"2", "3"} <= texts
    assert "<5" not in texts


# --- The page --------------------------------------------------------------------------------
def test_default_period_is_the_last_complete_half_year(fixed_figures):
    response = reader(Role.DIRECTOR).get(SCREEN)

    assertTemplateUsed(response, "reports/screen.html")
    assert fixed_figures == [(datetime.date(2025, 4, 1), datetime.date(2025, 9, 30))]
    assert "1 April 2025 to 30 September 2025, compared with" in response.content.decode()


def test_page_has_a_chart_beside_each_charted_table(fixed_figures):
    response = reader(Role.DIRECTOR).get(SCREEN + "?start=2025-04-01&end=2025-09-30")

    html = response.content.decode()
    for name in CHART_NAMES:
        chart = reverse("reports:chart", kwargs={"name": name})
        assert f'src="{chart}?start=2025-04-01&amp;end=2025-09-30"' in html
        assert f'id="{name}"' in html
    assert html.count('class="govuk-table govuk-!-font-size-16 app-figure-table"') == 1 + len(
        response.context["report"].breakdowns
    )


def test_typed_dates_redirect_to_a_link_to_the_period(fixed_figures):
    query = {"start_0": "1", "start_1": "1", "start_2": "2025", "end_0": "31", "end_1": "3"}
    query["end_2"] = "2025"

    response = reader(Role.DIRECTOR).get(SCREEN, query)

    assert response.status_code == 302
    assert response["Location"] == f"{SCREEN}?start=2025-01-01&end=2025-03-31"
    assert not fixed_figures


def test_linked_period_is_reported(fixed_figures):
    response = reader(Role.DIRECTOR).get(SCREEN, {"start": "2025-01-01", "end": "2025-03-31"})

    assert fixed_figures == [(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))]
    # The form shows the dates as someone would type them.
    assert response.context["form"]["start"].value() == ["1", "1", "2025"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2025-09-30", "end": "2025-04-01"}, "end", "End date must be the same as or"),
        ({"start": "2025-02-30", "end": "2025-04-01"}, "start", "Start date must be a real date"),
        ({"start": "nonsense", "end": "2025-04-01"}, "start", "Start date must"),
        ({"start": "1999-01-01", "end": "1999-06-30"}, "start", "Start date must be in 2000"),
        ({"start": "2015-01-01", "end": "2025-06-30"}, "end", "The period must be 5 years"),
        ({"start": "2025-01-01", "end": "2099-06-30"}, "end", "End date must be today or in"),
        ({"start": "2025-01-01\x00", "end": "2025-06-30"}, "start", "Start date must"),
        ({"end": "2025-06-30"}, "start", "Enter the start date"),
    ],
)
def test_wrong_dates_show_errors_and_no_figures(query, field, message, fixed_figures):
    response = reader(Role.DIRECTOR).get(SCREEN, query)

    assert response.status_code == 200
    assert any(error.startswith(message) for error in response.context["form"].errors[field])
    assert response.context["report"] is None
    assert "Error: Corporate Parenting report" in response.content.decode()
    assert not fixed_figures


def test_chart_for_wrong_dates_is_not_found(fixed_figures):
    url = reverse("reports:chart", kwargs={"name": "risk-levels"})

    response = reader(Role.DIRECTOR).get(url, {"start": "2025-09-30", "end": "2025-04-01"})

    assert response.status_code == 404


def test_unknown_chart_is_not_found(fixed_figures):
    response = reader(Role.DIRECTOR).get("/reports/corporate-parenting/chart/secret.svg")

    assert response.status_code == 404


def test_chart_is_an_svg_image(fixed_figures):
    url = reverse("reports:chart", kwargs={"name": "referrals-by-type"})

    response = reader(Role.DIRECTOR).get(url, {"start": "2025-04-01", "end": "2025-09-30"})

    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'inline; filename="referrals-by-type.svg"'
    assert svg(response).tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get(method, fixed_figures):
    response = getattr(reader(Role.ANALYST), method)(SCREEN)

    assert response.status_code == 405


# --- From the database -------------------------------------------------------------------------
# Session, user, capabilities and MFA device, then one aggregate query per section of the
# figures for each of the two periods: the same number whatever the amount of data.
MAX_QUERIES = 34  # the figures for two periods (12 queries each) plus the page


def _referrals(count: int) -> None:
    for number in range(count):
        child = (LookedAfterChildFactory if number % 3 == 0 else ChildFactory)()
        ReferralFactory(child=child, received_on=datetime.date(2025, 5, 1 + number % 28))


@pytest.mark.parametrize("count", [3, 30])
def test_page_queries_do_not_grow_with_the_data(count, django_assert_max_num_queries):
    # given
    _referrals(count)
    client = reader(Role.SERVICE_MANAGER)

    # when
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(SCREEN)

    # then
    assert row_cells(response, "Referrals")[0] == str(count)


def test_chart_queries_are_bounded(django_assert_max_num_queries):
    _referrals(10)
    client = reader(Role.DIRECTOR)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("reports:chart", kwargs={"name": "children-by-sex"}))

    assert response.status_code == 200
