"""Browser imports: checking an upload, confirming it, and who may do either."""

import datetime

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from referrals.models import CaseImport, Child, Referral
from referrals.permissions.imports import can_import_cases, visible_case_imports
from referrals.services.imports import (
    CaseImportNotConfirmable,
    case_import_check,
    case_import_confirm,
    case_imports_purge_stale,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_imports import (
    CaseImportFactory,
    cases_folder,
    replace_line,
    workbook_of,
    zip_of,
)

pytestmark = pytest.mark.django_db

BAD_CHILDREN = replace_line("children", 3, "C0002,Jayden,Okoro,,2009-11-02,7,BAFR,,CIN,,,")


def check(user, folder, filename="cases.zip"):
    return case_import_check(user=user, filename=filename, content=zip_of(folder))


# --- Permissions --------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [*Role, None, "other team"])
def test_only_administrators_may_import(role):
    if role == "other team":
        user = UserFactory(team=TeamFactory(name="Team B"), roles=[Role.ADMINISTRATOR])
    else:
        user = UserFactory(roles=[role] if role else [])
    imports = CaseImportFactory.create_batch(2)

    allowed = can_import_cases(user)

    expected = role in (Role.ADMINISTRATOR, "other team")
    assert allowed is expected
    assert set(visible_case_imports(user)) == (set(imports) if expected else set())


def test_inactive_administrator_may_not_import(admin_user):
    admin_user.is_active = False

    assert not can_import_cases(admin_user)


def test_check_refuses_someone_without_the_capability(social_worker, tmp_path):
    with pytest.raises(PermissionDenied):
        check(social_worker, cases_folder(tmp_path))

    assert not CaseImport.objects.exists()


def test_confirm_refuses_someone_without_the_capability(admin_user, social_worker, tmp_path):
    case_import = check(admin_user, cases_folder(tmp_path))

    with pytest.raises(PermissionDenied):
        case_import_confirm(user=social_worker, case_import=case_import)

    assert not Child.objects.exists()


# --- Check --------------------------------------------------------------------------------------
def test_clean_upload_is_kept_checked_with_what_it_would_do(admin_user, tmp_path):
    upload = zip_of(cases_folder(tmp_path))

    case_import = case_import_check(user=admin_user, filename="../x/cases.zip", content=upload)

    case_import.refresh_from_db()
    assert case_import.status == CaseImport.Status.CHECKED
    assert (case_import.filename, case_import.uploaded_by) == ("cases.zip", admin_user)
    assert bytes(case_import.content) == upload
    assert case_import.problems == []
    assert case_import.counts["children.csv"] == {"new": 3, "changed": 0, "unchanged": 0}
    assert not Child.objects.exists()
    assert not CaseEvent.objects.exists()


def test_upload_with_problems_is_rejected_and_the_file_dropped(admin_user, tmp_path):
    case_import = check(admin_user, cases_folder(tmp_path, children=BAD_CHILDREN))

    case_import.refresh_from_db()
    assert case_import.status == CaseImport.Status.REJECTED
    assert bytes(case_import.content) == b""
    assert case_import.problems == [
        {"file": "children.csv", "line": 3, "column": "sex", "message": "must be one of 1, 2"}
    ]


def test_workbook_upload(admin_user, tmp_path):
    case_import = case_import_check(
        user=admin_user, filename="cases.xlsx", content=workbook_of(cases_folder(tmp_path))
    )

    assert case_import.status == CaseImport.Status.CHECKED


# --- Confirm ------------------------------------------------------------------------------------
def test_confirm_applies_it_as_the_confirming_administrator(admin_user, tmp_path):
    # given
    case_import = check(admin_user, cases_folder(tmp_path))
    other_administrator = UserFactory(roles=[Role.ADMINISTRATOR])

    # when
    case_import = case_import_confirm(user=other_administrator, case_import=case_import)

    # then
    case_import.refresh_from_db()
    assert case_import.status == CaseImport.Status.APPLIED
    assert case_import.applied_at is not None
    assert case_import.applied_by == other_administrator
    assert bytes(case_import.content) == b""
    assert Child.objects.count() == 3
    events = CaseEvent.objects.filter(verb="imported")
    assert set(events.values_list("actor", flat=True)) == {other_administrator.pk}
    referral = Referral.objects.get(referral_ref="R0001")
    assert referral.created_by == other_administrator
    insert = pghistory.models.Events.objects.tracks(referral).get(pgh_label="insert")
    assert insert.pgh_context["import_id"] == str(case_import.pk)


def test_confirm_checks_again_against_the_records_as_they_are_now(admin_user, tmp_path):
    # given: the referrals refer to a child already in the database, and checked clean
    ChildFactory(child_ref="C0001")
    folder = cases_folder(tmp_path, children=None, missing_episodes=None)
    (folder / "referrals.csv").write_text(
        "referral_ref,child_ref,received_on,exploitation_type,source,looked_after\n"
        "R0001,C0001,2025-04-10,CSE,6,N\n"
    )
    case_import = check(admin_user, folder)
    assert case_import.status == CaseImport.Status.CHECKED
    # ... then someone renames that child's reference before it is confirmed
    Child.objects.filter(child_ref="C0001").update(child_ref="C0001-OLD")

    # when
    case_import = case_import_confirm(user=admin_user, case_import=case_import)

    # then
    assert case_import.status == CaseImport.Status.REJECTED
    assert case_import.problems == [
        {
            "file": "referrals.csv",
            "line": 2,
            "column": "child_ref",
            "message": "C0001 is not in children.csv or already imported",
        }
    ]
    assert bytes(case_import.content) == b""
    assert not Referral.objects.exists()


@pytest.mark.parametrize("status", [CaseImport.Status.APPLIED, CaseImport.Status.REJECTED])
def test_only_a_checked_import_can_be_confirmed(admin_user, status):
    case_import = CaseImportFactory(status=status)

    with pytest.raises(CaseImportNotConfirmable):
        case_import_confirm(user=admin_user, case_import=case_import)


def test_confirming_twice_applies_once(admin_user, tmp_path):
    case_import = check(admin_user, cases_folder(tmp_path))
    case_import_confirm(user=admin_user, case_import=case_import)

    with pytest.raises(CaseImportNotConfirmable):
        case_import_confirm(user=admin_user, case_import=case_import)

    assert CaseEvent.objects.filter(category="CHILD").count() == 3


def test_unconfirmed_uploads_are_emptied_after_a_week(admin_user):
    old = CaseImport.objects.create(
        uploaded_by=admin_user, filename="a.zip", content=b"data", status=CaseImport.Status.CHECKED
    )
    CaseImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    recent = CaseImport.objects.create(
        uploaded_by=admin_user, filename="b.zip", content=b"data", status=CaseImport.Status.CHECKED
    )

    assert case_imports_purge_stale() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, bytes(old.content)) == (CaseImport.Status.REJECTED, b"")
    assert "not confirmed within 7 days" in old.problems[0]["message"]
    assert bytes(recent.content) == b"data"
