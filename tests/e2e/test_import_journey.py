"""An administrator imports cases: a file with a bad row is refused with the line and column,
the corrected file is checked and confirmed. Every page passes axe."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from cre_portal.accounts.roles import Role
from referrals.models import Child
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories_imports import cases_folder, replace_line, zip_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BAD_CHILDREN = replace_line("children", 3, "C0002,Jayden,Okoro,,2009-11-02,7,BAFR,,CIN,,,")


def sign_in_browser(page, live_server, user):
    """Give the browser the session of a user signed in past MFA."""
    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def choose_file(page, content):
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "cases.zip", "mimeType": "application/zip", "buffer": content}]
    )
    page.get_by_role("button", name="Upload and check").click()


def test_administrator_fixes_a_bad_row_and_confirms_the_import(
    page, live_server, console_messages, tmp_path
):
    # given
    administrator = UserFactory(team=None, is_staff=True, roles=[Role.ADMINISTRATOR])
    sign_in_browser(page, live_server, administrator)
    bad = zip_of(cases_folder(tmp_path / "bad", children=BAD_CHILDREN))
    good = zip_of(cases_folder(tmp_path / "good"))
    page.goto(reverse("referrals:import_list"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Import case data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import case data")
    assert_no_axe_violations(page)

    # when: nothing chosen, then the file with a bad row
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a file to import")
    assert_no_axe_violations(page)
    choose_file(page, bad)

    # then: the problem, with its file, line and column
    expect(page.get_by_role("heading", level=1)).to_have_text("The file has problems")
    problem = page.locator("tbody .govuk-table__row")
    expect(problem).to_have_count(1)
    expect(problem.locator("td")).to_have_text(["children.csv", "3", "sex", "must be one of 1, 2"])
    assert_no_axe_violations(page)
    assert not Child.objects.exists()

    # when: the corrected file
    page.get_by_role("link", name="upload the corrected file").click()
    choose_file(page, good)

    # then: a preview, and confirming applies it
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.get_by_role("row", name="Children 3 0 0")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import applied")
    expect(page.get_by_text("The import has been applied")).to_be_visible()
    assert_no_axe_violations(page)
    assert Child.objects.count() == 3
    assert_no_csp_errors(console_messages)
