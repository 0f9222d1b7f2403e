"""A service manager asks for the Corporate Parenting report, watches the page follow it as it is
made (without reloading), and downloads the PDF; every page passes axe.

The broker is replaced by a thread in this process that makes the run the way a worker does
(the real figures and renderers), so the live server's page and the "worker" share the test
database and the journey needs no Celery process.
"""

import re
import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from reports.models import ReportRun
from reports.services.runs import report_run_generate
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RUN_SECONDS = 120_000  # Playwright counts in milliseconds


def sign_in_browser(page: Page, live_server, user) -> None:
    """Hand the browser a session that has passed MFA (the sign-in journey tests the real flow)."""
    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.fixture
def worker_thread(monkeypatch):
    """Publishing a run starts making it in a thread, as a worker would."""
    threads: list[threading.Thread] = []

    def make(run_id: str) -> None:
        try:
            report_run_generate(uuid.UUID(run_id))
        finally:
            connection.close()  # each thread has its own connection

    def delay(run_id: str) -> None:
        thread = threading.Thread(target=make, args=(run_id,), daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr("reports.tasks.generate_report_task.delay", delay)
    yield
    for thread in threads:
        thread.join(timeout=RUN_SECONDS / 1000)


def test_manager_requests_the_report_watches_it_made_and_downloads_the_pdf(
    page, live_server, console_messages, worker_thread
):
    # given
    manager = UserFactory(roles=[Role.SERVICE_MANAGER])
    sign_in_browser(page, live_server, manager)

    # when: the manager opens the reports and asks for the last half-year's public report
    page.goto(reverse("reports:run_list"))
    expect(page.get_by_text("No reports have been requested yet.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Request a report").click()
    expect(page.get_by_role("heading", name="Request a report")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Corporate Parenting report").check()
    page.get_by_role("radio", name=re.compile("Public")).check()
    page.get_by_role("button", name="Request the report").click()

    # then: the run's page follows it while it is made, without reloading
    expect(page.get_by_text("Report requested")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    expect(page.get_by_text("Refresh this page")).to_be_hidden()
    expect(page.locator("[data-report-run-step]")).to_contain_text(
        "Making the", timeout=RUN_SECONDS
    )
    assert_no_axe_violations(page)
    expect(page.get_by_role("heading", name="Download the report")).to_be_visible(
        timeout=RUN_SECONDS
    )
    expect(page.locator("[data-report-run-announce]")).to_have_text(
        "The report is ready to download."
    )
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("[data-report-run-status]")).to_contain_text("Ready")
    assert_no_axe_violations(page)

    # when: the manager downloads the PDF
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^PDF \(")).click()

    # then: it is the report, and the download is on the access log
    download = download_info.value
    run = ReportRun.objects.get()
    assert download.suggested_filename == run.filename("pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.DOWNLOAD)
    assert (entry.user, entry.object_type) == (manager, "reports.reportfile")

    # and the report is on the list, ready
    page.goto(reverse("reports:run_list"))
    expect(page.get_by_role("cell", name="Ready")).to_be_visible()
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)
