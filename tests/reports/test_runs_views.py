"""The report pages: list, request, follow, retry, status JSON and downloads, for every role."""

import datetime
import uuid

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from reports.models import ReportFile, ReportRun
from tests.accounts.factories import UserFactory
from tests.reports.factories_runs import (
    DoneReportRunFactory,
    FailedReportRunFactory,
    ReportRunFactory,
    RunningReportRunFactory,
    request_form,
)

pytestmark = pytest.mark.django_db

READERS = {Role.ANALYST, Role.DIRECTOR, Role.SERVICE_MANAGER, Role.CP_MANAGER, Role.TEAM_MANAGER}
EXACT_READERS = {Role.ANALYST, Role.SERVICE_MANAGER, Role.CP_MANAGER}
ROLES = [*Role, None]
TODAY = datetime.date(2026, 2, 10)


@pytest.fixture
def published(monkeypatch):
    sent = []
    monkeypatch.setattr("reports.tasks.generate_report_task.delay", sent.append)
    return sent


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def user_with(role):
    return UserFactory(roles=[role] if role else [])


# --- The list -----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_report_list_is_for_report_readers(role, signed_in):
    response = signed_in(user_with(role)).get(reverse("reports:run_list"))

    assert response.status_code == (200 if role in READERS else 403)


def test_report_list_shows_exact_runs_only_to_those_who_may_see_them(signed_in):
    public, exact = DoneReportRunFactory(), DoneReportRunFactory(exact=True)

    director = signed_in(UserFactory(roles=[Role.DIRECTOR])).get(reverse("reports:run_list"))

    assert list(director.context["page_obj"]) == [public]
    assert reverse("reports:run_detail", args=[exact.pk]) not in director.content.decode()


def test_report_list_is_newest_first_paginated_and_queries_do_not_grow(
    signed_in, django_assert_max_num_queries
):
    # given
    now = timezone.now()
    runs = [DoneReportRunFactory(requested_at=now - datetime.timedelta(hours=n)) for n in range(30)]
    client = signed_in(UserFactory(roles=[Role.ANALYST]))

    # when
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:run_list"))

    # then
    page = response.context["page_obj"]
    assert list(page) == runs[:25]
    assert page.paginator.num_pages == 2
    assert "Ready" in response.content.decode()


def test_report_list_offers_the_request_to_those_who_may_generate(signed_in):
    analyst = signed_in(UserFactory(roles=[Role.ANALYST])).get(reverse("reports:run_list"))
    director = signed_in(UserFactory(roles=[Role.DIRECTOR])).get(reverse("reports:run_list"))

    assert reverse("reports:run_request") in analyst.content.decode()
    assert reverse("reports:run_request") not in director.content.decode()


# --- Requesting ---------------------------------------------------------------------------------
def test_request_form_offers_the_last_complete_half_year(signed_in, today):
    response = signed_in(UserFactory(roles=[Role.ANALYST])).get(reverse("reports:run_request"))

    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["period_start"] == datetime.date(2025, 4, 1)
    assert form.initial["period_end"] == datetime.date(2025, 9, 30)
    assert "figures" in form.fields


def test_request_form_offers_only_public_figures_without_exact_rights(signed_in, today):
    user = UserFactory(roles=[Role.ANALYST])
    user.groups.first().permissions.remove(
        *user.groups.first().permissions.filter(codename="view_exact_figures")
    )
    user = type(user).objects.get(pk=user.pk)

    response = signed_in(user).get(reverse("reports:run_request"))

    form = response.context["form"]
    assert "figures" not in form.fields
    assert [value for value, _ in form.fields["kind"].choices] == ["CORPORATE_PARENTING"]


def test_requesting_a_report_stores_it_and_shows_its_page(
    signed_in, today, published, django_capture_on_commit_callbacks
):
    client = signed_in(UserFactory(roles=[Role.CP_MANAGER]))
    form = request_form(datetime.date(2025, 4, 1), datetime.date(2025, 9, 30))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:run_request"), form, follow=True)

    run = ReportRun.objects.get()
    assert response.redirect_chain == [(reverse("reports:run_detail", args=[run.pk]), 302)]
    assert "Report requested" in response.content.decode()
    assert published == [str(run.pk)]
    assert (run.period_start, run.period_end, run.exact) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 9, 30),
        False,
    )


def test_requesting_the_same_report_again_shows_the_first_one(signed_in, today, published):
    client = signed_in(UserFactory(roles=[Role.ANALYST]))
    form = {
        **request_form(datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)),
        "figures": "exact",
    }
    client.post(reverse("reports:run_request"), form)

    response = client.post(reverse("reports:run_request"), form, follow=True)

    run = ReportRun.objects.get()
    assert run.exact
    assert response.redirect_chain[-1][0] == reverse("reports:run_detail", args=[run.pk])
    assert "already been requested" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"period_end_2": 2024},
            "period_end",
            "The last day of the period must be the same as or after the first day",
        ),
        ({"period_end_0": 10, "period_end_1": 2, "period_end_2": 2026}, "period_end", "past"),
        ({"period_start_0": 31, "period_start_1": 2}, "period_start", "must be a real date"),
        ({"kind": ""}, "kind", "Select which report you want"),
        ({"figures": ""}, "figures", "Select public or exact figures"),
    ],
)
def test_request_errors_keep_the_input(changes, field, message, signed_in, today, published):
    client = signed_in(UserFactory(roles=[Role.ANALYST]))
    form = {**request_form(datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)), **changes}

    response = client.post(reverse("reports:run_request"), form)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["form"].data["period_start_2"] == str(form["period_start_2"])
    assert "Error: " in response.content.decode()
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_requesting_is_for_those_who_may_generate(role, signed_in):
    response = signed_in(user_with(role)).get(reverse("reports:run_request"))

    assert response.status_code == (200 if role in EXACT_READERS else 403)


# --- Following a run ----------------------------------------------------------------------------
def test_a_running_run_page_updates_itself_and_offers_a_refresh_link(signed_in):
    run = RunningReportRunFactory()

    response = signed_in(UserFactory(roles=[Role.ANALYST])).get(
        reverse("reports:run_detail", args=[run.pk])
    )

    page = response.content.decode()
    assert f'data-status-url="{reverse("reports:run_status", args=[run.pk])}"' in page
    assert "js/report_progress.js" in page
    assert "Refresh this page" in page
    assert '<progress id="report-run-progress" max="100" value="40">' in page
    assert "40% done: Making the Word document" in page
    assert 'aria-live="polite"' in page


def test_a_finished_run_page_lists_its_downloads_pdf_first(signed_in):
    run = DoneReportRunFactory()

    response = signed_in(UserFactory(roles=[Role.DIRECTOR])).get(
        reverse("reports:run_detail", args=[run.pk])
    )

    page = response.content.decode()
    assert [file.format for file in response.context["files"]] == ["pdf", "docx", "xlsx", "pptx"]
    assert reverse("reports:run_download", kwargs={"pk": run.pk, "fmt": "pdf"}) in page
    assert "js/report_progress.js" not in page


def test_a_failed_run_page_shows_the_reason_and_a_retry_button(signed_in):
    run = FailedReportRunFactory()

    analyst = signed_in(UserFactory(roles=[Role.ANALYST])).get(
        reverse("reports:run_detail", args=[run.pk])
    )

    assert "The PDF could not be made. Try again." in analyst.content.decode()
    assert reverse("reports:run_retry", args=[run.pk]) in analyst.content.decode()


def test_a_reader_who_may_not_generate_sees_no_retry_button(client, signed_in):
    run = FailedReportRunFactory()

    director = signed_in(UserFactory(roles=[Role.DIRECTOR])).get(
        reverse("reports:run_detail", args=[run.pk])
    )

    assert reverse("reports:run_retry", args=[run.pk]) not in director.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("exact", [False, True])
def test_a_run_is_seen_by_readers_and_an_exact_one_only_by_exact_readers(role, exact, signed_in):
    run = RunningReportRunFactory(exact=exact)
    allowed = EXACT_READERS if exact else READERS
    client = signed_in(user_with(role))

    detail = client.get(reverse("reports:run_detail", args=[run.pk]))
    status = client.get(reverse("reports:run_status", args=[run.pk]))

    assert detail.status_code == status.status_code == (200 if role in allowed else 404)


def test_status_endpoint_says_how_far_the_run_has_got(signed_in):
    run = RunningReportRunFactory()

    response = signed_in(UserFactory(roles=[Role.TEAM_MANAGER])).get(
        reverse("reports:run_status", args=[run.pk])
    )

    assert response.json() == {
        "status": "RUNNING",
        "status_text": "Being made",
        "status_tag": "govuk-tag--blue",
        "progress": 40,
        "progress_label": "Making the Word document",
        "finished": False,
    }
    assert "no-store" in response["Cache-Control"]


# --- Trying again -------------------------------------------------------------------------------
def test_retry_queues_the_run_again(signed_in, published, django_capture_on_commit_callbacks):
    run = FailedReportRunFactory()
    client = signed_in(UserFactory(roles=[Role.SERVICE_MANAGER]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:run_retry", args=[run.pk]), follow=True)

    assert response.redirect_chain == [(reverse("reports:run_detail", args=[run.pk]), 302)]
    assert "The report is being made again" in response.content.decode()
    assert published == [str(run.pk)]


def test_retry_of_a_run_that_did_not_fail_says_why(signed_in, published):
    run = DoneReportRunFactory()

    response = signed_in(UserFactory(roles=[Role.ANALYST])).post(
        reverse("reports:run_retry", args=[run.pk]), follow=True
    )

    assert "Only a report that failed can be tried again" in response.content.decode()
    assert published == []


def test_retry_sends_to_the_newer_run_of_the_same_request(signed_in, published):
    failed = FailedReportRunFactory()
    newer = ReportRunFactory(period_start=failed.period_start, period_end=failed.period_end)

    response = signed_in(UserFactory(roles=[Role.ANALYST])).post(
        reverse("reports:run_retry", args=[failed.pk])
    )

    assert response["Location"] == reverse("reports:run_detail", args=[newer.pk])


def test_retry_is_refused_to_a_reader_who_may_not_generate(signed_in, published):
    run = FailedReportRunFactory()

    response = signed_in(UserFactory(roles=[Role.DIRECTOR])).post(
        reverse("reports:run_retry", args=[run.pk])
    )

    assert response.status_code == 403
    assert published == []


# --- Downloads ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("exact", [False, True])
def test_downloads_by_role_each_logged(role, exact, signed_in):
    # given
    run = DoneReportRunFactory(exact=exact)
    user = user_with(role)
    allowed = role in (EXACT_READERS if exact else READERS)

    # when
    response = signed_in(user).get(
        reverse("reports:run_download", kwargs={"pk": run.pk, "fmt": "pdf"})
    )

    # then
    assert response.status_code == (200 if allowed else 404)
    logged = AccessLogEntry.objects.filter(user=user, action=AccessLogEntry.Action.DOWNLOAD)
    assert logged.count() == (1 if allowed else 0)


def test_a_download_is_an_attachment_never_cached_and_logged_against_the_file(signed_in):
    # given
    run = DoneReportRunFactory()
    analyst = UserFactory(roles=[Role.ANALYST])

    # when
    response = signed_in(analyst).get(
        reverse("reports:run_download", kwargs={"pk": run.pk, "fmt": "docx"})
    )

    # then
    report_file = ReportFile.objects.get(run=run, format="docx")
    assert response.content == bytes(report_file.content)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert response["Content-Disposition"] == f'attachment; filename="{report_file.filename}"'
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.object_id, entry.child_id) == (
        "reports.reportfile",
        str(report_file.pk),
        None,
    )


def test_a_format_the_run_was_not_made_in_is_not_found(signed_in):
    run = DoneReportRunFactory(kind="LAC_DATA_PACK", exact=True)

    response = signed_in(UserFactory(roles=[Role.ANALYST])).get(
        reverse("reports:run_download", kwargs={"pk": run.pk, "fmt": "pptx"})
    )

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_an_unknown_format_is_no_url_at_all():
    with pytest.raises(NoReverseMatch):
        reverse("reports:run_download", kwargs={"pk": uuid.uuid4(), "fmt": "exe"})


def test_a_run_still_being_made_has_nothing_to_download(signed_in):
    run = RunningReportRunFactory()

    response = signed_in(UserFactory(roles=[Role.ANALYST])).get(
        reverse("reports:run_download", kwargs={"pk": run.pk, "fmt": "pdf"})
    )

    assert response.status_code == 404
