"""The import pages: upload, see every problem or a preview, confirm; list of imports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.forms import imports as import_forms
from referrals.models import CaseImport, Child
from tests.referrals.factories_imports import (
    CaseImportFactory,
    RejectedCaseImportFactory,
    cases_folder,
    replace_line,
    workbook_of,
    zip_of,
)

pytestmark = pytest.mark.django_db

UPLOAD = reverse("referrals:import_upload")


def upload(client, name, content, content_type="application/zip"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content, content_type)})


# --- Upload -------------------------------------------------------------------------------------
def test_upload_page(signed_in, admin_user):
    response = signed_in(admin_user).get(UPLOAD)

    assert response.status_code == 200
    assert response.templates[0].name == "referrals/import_upload.html"
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_clean_zip_is_checked_and_shows_a_preview(signed_in, admin_user, tmp_path):
    client = signed_in(admin_user)

    response = upload(client, "cases.zip", zip_of(cases_folder(tmp_path)))

    case_import = CaseImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:import_detail", args=[case_import.pk])
    page = client.get(response["Location"])
    assert page.templates[0].name == "referrals/import_detail.html"
    assert [row[:2] for row in page.context["count_rows"]] == [
        ("Children", 3),
        ("Referrals", 3),
        ("Missing episodes", 3),
    ]
    assert "Confirm import" in page.content.decode()
    assert not Child.objects.exists()


def test_workbook_upload(signed_in, admin_user, tmp_path):
    response = upload(
        signed_in(admin_user),
        "cases.xlsx",
        workbook_of(cases_folder(tmp_path)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    assert response.status_code == 302
    assert CaseImport.objects.get().status == CaseImport.Status.CHECKED


def test_upload_with_problems_shows_each_with_file_line_and_column(signed_in, admin_user, tmp_path):
    bad = replace_line("children", 3, "C0002,Jayden,Okoro,,2009-11-02,7,BAFR,,CIN,,,")
    client = signed_in(admin_user)

    response = client.get(
        upload(client, "cases.zip", zip_of(cases_folder(tmp_path, children=bad)))["Location"]
    )

    html = response.content.decode()
    assert "The file has problems" in html
    assert '<td class="govuk-table__cell">children.csv</td>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html
    assert '<td class="govuk-table__cell">sex</td>' in html
    assert "must be one of 1, 2" in html
    assert "Confirm import" not in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cases.csv", b"PK\x03\x04", import_forms.WRONG_TYPE),
        ("cases.zip", b"not a zip at all", import_forms.WRONG_TYPE),
        ("cases.zip", b"", "The selected file is empty"),
    ],
)
def test_upload_refuses_other_files(signed_in, admin_user, name, content, message):
    response = upload(signed_in(admin_user), name, content)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert "Error: " in response.content.decode()
    assert not CaseImport.objects.exists()


def test_upload_refuses_a_file_over_the_limit(signed_in, admin_user, monkeypatch):
    monkeypatch.setattr(import_forms, "MAX_UPLOAD_BYTES", 10)

    response = upload(signed_in(admin_user), "cases.zip", b"PK\x03\x04" + b"0" * 20)

    assert response.context["form"].errors["file"] == [
        "The selected file must be smaller than 20 MB"
    ]


def test_upload_without_a_file(signed_in, admin_user):
    response = signed_in(admin_user).post(UPLOAD, {})

    assert response.context["form"].errors["file"] == ["Select a file to import"]


def test_upload_page_is_refused_to_a_social_worker(signed_in, social_worker):
    assert signed_in(social_worker).get(UPLOAD).status_code == 403


# --- Detail -------------------------------------------------------------------------------------
def test_every_problem_is_shown_page_by_page(signed_in, admin_user):
    problems = [
        {"file": "referrals.csv", "line": n, "column": "source", "message": "bad"}
        for n in range(2, 62)
    ]
    case_import = RejectedCaseImportFactory(problems=problems)
    url = reverse("referrals:import_detail", args=[case_import.pk])
    client = signed_in(admin_user)

    first, last = client.get(url), client.get(url, {"page": 3})

    assert len(first.context["problems"]) == 25
    assert "60 problems" in first.content.decode()
    assert [p["line"] for p in last.context["problems"]] == list(range(52, 62))


def test_detail_of_an_import_is_not_found_for_a_social_worker(signed_in, social_worker):
    case_import = CaseImportFactory()

    response = signed_in(social_worker).get(
        reverse("referrals:import_detail", args=[case_import.pk])
    )

    assert response.status_code == 404


# --- Confirm ------------------------------------------------------------------------------------
def test_confirm_applies_and_says_so(signed_in, admin_user, tmp_path):
    client = signed_in(admin_user)
    detail = upload(client, "cases.zip", zip_of(cases_folder(tmp_path)))["Location"]
    case_import = CaseImport.objects.get()

    response = client.post(reverse("referrals:import_confirm", args=[case_import.pk]), follow=True)

    assert response.redirect_chain == [(detail, 302)]
    assert "The import has been applied" in response.content.decode()
    assert "Import applied" in response.content.decode()
    assert Child.objects.count() == 3


def test_confirm_of_an_applied_import_changes_nothing(signed_in, admin_user):
    case_import = CaseImportFactory(status=CaseImport.Status.APPLIED)

    response = signed_in(admin_user).post(
        reverse("referrals:import_confirm", args=[case_import.pk]), follow=True
    )

    assert "already been applied or rejected" in response.content.decode()


def test_confirm_that_finds_problems_shows_them(signed_in, admin_user):
    # The stored file is not a valid upload any more: it is rejected, nothing is written.
    case_import = CaseImportFactory(content=b"broken")

    response = signed_in(admin_user).post(
        reverse("referrals:import_confirm", args=[case_import.pk]), follow=True
    )

    assert "Nothing was imported" in response.content.decode()
    assert "is not a valid ZIP or XLSX file" in response.content.decode()


def test_confirm_is_post_only(signed_in, admin_user):
    case_import = CaseImportFactory()

    response = signed_in(admin_user).get(reverse("referrals:import_confirm", args=[case_import.pk]))

    assert response.status_code == 405


# --- List ---------------------------------------------------------------------------------------
def test_import_list_is_paginated_without_a_query_per_row(
    signed_in, admin_user, django_assert_max_num_queries
):
    CaseImportFactory.create_batch(30)
    client = signed_in(admin_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:import_list"))

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 25
