"""The report manager's pages: schedules and the committee paper's wording."""

import pytest
from django.urls import reverse

from cre_portal.accounts.roles import Role
from reports.models import PaperTemplate, ReportSchedule
from reports.renderers.paper_defaults import DEFAULT_PAPER_SECTIONS
from tests.accounts.factories import UserFactory
from tests.reports.factories_runs import ReportScheduleFactory

pytestmark = pytest.mark.django_db

ROLES = [*Role, None]


@pytest.fixture
def analyst():
    return UserFactory(roles=[Role.ANALYST])


def schedule_form(**changes) -> dict:
    return {
        "name": "Committee report",
        "kind": "CORPORATE_PARENTING",
        "cadence": "SIX_MONTHLY",
        "days_after": "14",
        "figures": "public",
        **changes,
    }


# --- Schedules ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_schedule_pages_are_for_the_report_manager_only(role, signed_in):
    schedule = ReportScheduleFactory()
    client = signed_in(UserFactory(roles=[role] if role else []))

    listing = client.get(reverse("reports:schedule_list"))
    edit = client.get(reverse("reports:schedule_edit", args=[schedule.pk]))

    assert listing.status_code == (200 if role == Role.ANALYST else 403)
    assert edit.status_code == (200 if role == Role.ANALYST else 404)


def test_schedule_list_shows_each_schedule_without_extra_queries(
    analyst, signed_in, django_assert_max_num_queries
):
    for _ in range(5):
        ReportScheduleFactory(recipients=[analyst])
    client = signed_in(analyst)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:schedule_list"))

    assert len(response.context["page_obj"]) == 5


def test_the_report_manager_adds_a_schedule(analyst, signed_in):
    director = UserFactory(roles=[Role.DIRECTOR])
    client = signed_in(analyst)

    response = client.post(
        reverse("reports:schedule_create"), schedule_form(recipients=[director.pk]), follow=True
    )

    schedule = ReportSchedule.objects.get()
    assert response.redirect_chain == [(reverse("reports:schedule_list"), 302)]
    assert "Schedule saved" in response.content.decode()
    assert (schedule.name, schedule.days_after, schedule.exact) == ("Committee report", 14, False)
    assert list(schedule.recipients.all()) == [director]


def test_only_report_readers_are_offered_as_recipients(analyst, signed_in):
    reader = UserFactory(roles=[Role.TEAM_MANAGER])
    UserFactory(roles=[Role.SOCIAL_WORKER])
    UserFactory(roles=[Role.DIRECTOR], is_active=False)

    response = signed_in(analyst).get(reverse("reports:schedule_create"))

    assert set(response.context["form"].fields["recipients"].queryset) == {analyst, reader}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter a name for the schedule"),
        ({"days_after": "-1"}, "days_after", "The number of days must be 0 or more"),
        ({"days_after": "91"}, "days_after", "The number of days must be 90 or fewer"),
        ({"days_after": "two"}, "days_after", "The number of days must be a whole number"),
        ({"cadence": ""}, "cadence", "Select how often to make the report"),
    ],
)
def test_schedule_errors_keep_the_input(changes, field, message, analyst, signed_in):
    response = signed_in(analyst).post(
        reverse("reports:schedule_create"), schedule_form(**{"days_after": "3", **changes})
    )

    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form.data["kind"] == "CORPORATE_PARENTING"
    assert not ReportSchedule.objects.exists()


def test_an_exact_schedule_with_a_reader_of_public_reports_is_refused(analyst, signed_in):
    director = UserFactory(roles=[Role.DIRECTOR], full_name="Dee Rector")

    response = signed_in(analyst).post(
        reverse("reports:schedule_create"),
        schedule_form(figures="exact", recipients=[director.pk]),
    )

    assert response.context["form"].errors["recipients"] == [
        "These people cannot see exact figures: Dee Rector. Remove them."
    ]


def test_editing_a_schedule_changed_meanwhile_keeps_the_input_and_says_so(analyst, signed_in):
    # given: the analyst opened the form at version 1, then someone else saved it
    schedule = ReportScheduleFactory()
    ReportSchedule.objects.filter(pk=schedule.pk).update(version=2, days_after=30)
    data = schedule_form(name="My new name", active="yes", version="1")

    # when
    response = signed_in(analyst).post(reverse("reports:schedule_edit", args=[schedule.pk]), data)

    # then
    form = response.context["form"]
    assert "Someone else changed this record" in form.non_field_errors()[0]
    assert form.data["name"] == "My new name"
    schedule.refresh_from_db()
    assert schedule.name != "My new name"


def test_editing_a_schedule_saves_it(analyst, signed_in):
    schedule = ReportScheduleFactory()

    signed_in(analyst).post(
        reverse("reports:schedule_edit", args=[schedule.pk]),
        schedule_form(name="Renamed", active="no", version="1", days_after="7"),
    )

    schedule.refresh_from_db()
    assert (schedule.name, schedule.active, schedule.days_after, schedule.version) == (
        "Renamed",
        False,
        7,
        2,
    )


def test_stopping_a_schedule(analyst, signed_in):
    schedule = ReportScheduleFactory()

    response = signed_in(analyst).post(
        reverse("reports:schedule_deactivate", args=[schedule.pk]), follow=True
    )

    schedule.refresh_from_db()
    assert not schedule.active
    assert "will not be made again" in response.content.decode()


# --- The committee paper's wording --------------------------------------------------------------
def paper_form(template_version="1", **changes) -> dict:
    return {**DEFAULT_PAPER_SECTIONS, "version": template_version, **changes}


@pytest.mark.parametrize("role", ROLES)
def test_the_wording_is_edited_by_the_report_manager_only(role, signed_in):
    response = signed_in(UserFactory(roles=[role] if role else [])).get(
        reverse("reports:paper_template_edit")
    )

    assert response.status_code == (200 if role == Role.ANALYST else 403)


def test_the_wording_starts_from_the_defaults_and_lists_the_placeholders(analyst, signed_in):
    response = signed_in(analyst).get(reverse("reports:paper_template_edit"))

    form = response.context["form"]
    assert form.initial["purpose"] == DEFAULT_PAPER_SECTIONS["purpose"]
    assert list(form.fields)[1:] == list(PaperTemplate.SECTIONS)
    assert "{referrals_total}" in response.content.decode()


def test_saving_the_wording(analyst, signed_in):
    signed_in(analyst).get(reverse("reports:paper_template_edit"))

    response = signed_in(analyst).post(
        reverse("reports:paper_template_edit"),
        paper_form(financial="Costs are met from the existing budget of {council_name}."),
        follow=True,
    )

    template = PaperTemplate.objects.get()
    assert template.financial == "Costs are met from the existing budget of {council_name}."
    assert template.version == 2
    assert "wording has been saved" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Figures: {referrals.total}", "is not allowed"),
        ("Figures: {referral_count}", "{referral_count} is not a placeholder"),
        ("An unmatched { brace", "Put a placeholder's name between a pair of braces"),
        ("", "Enter the text of legal implications"),
    ],
)
def test_wording_with_a_bad_placeholder_is_refused(text, message, analyst, signed_in):
    signed_in(analyst).get(reverse("reports:paper_template_edit"))

    response = signed_in(analyst).post(
        reverse("reports:paper_template_edit"), paper_form(legal=text)
    )

    assert message in " ".join(response.context["form"].errors["legal"])
    assert PaperTemplate.objects.get().version == 1


def test_wording_changed_meanwhile_is_not_overwritten(analyst, signed_in):
    client = signed_in(analyst)
    client.get(reverse("reports:paper_template_edit"))
    client.post(reverse("reports:paper_template_edit"), paper_form(climate="First."))

    response = client.post(reverse("reports:paper_template_edit"), paper_form(climate="Second."))

    form = response.context["form"]
    assert "Someone else changed this record" in form.non_field_errors()[0]
    assert "Climate implications" in form.non_field_errors()[0]
    assert form.data["climate"] == "Second."
    assert PaperTemplate.objects.get().climate == "First."
