"""Importing case data from the browser: upload and check, then confirm to apply.

An upload is checked at once and kept as a `CaseImport`: REJECTED with every problem (the file
itself is dropped), or CHECKED with what it would do, waiting for an administrator to confirm.
Confirming checks it again against the database as it is then, and applies it in one
transaction (history rows carry `import_id` = the CaseImport's id and the confirming user), or
rejects it if something changed meanwhile. Either way the uploaded file is then emptied.
"""

import datetime
import uuid
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cre_portal.accounts.models import User
from referrals.data_exchange.apply import import_cases
from referrals.data_exchange.plan import plan_import
from referrals.data_exchange.reader import read_upload
from referrals.data_exchange.schema import NO_COLUMN, Problem
from referrals.models import CaseImport
from referrals.permissions.imports import can_import_cases

FILENAME_MAX_LENGTH = 255


class CaseImportNotConfirmable(Exception):
    """Only a checked import that has not been applied or rejected can be confirmed."""

    message = "This import has already been applied or rejected. Upload the file again."


def _problem_dicts(problems: list[Problem]) -> list[dict]:
    return [problem.as_dict() for problem in problems]


@transaction.atomic
def case_import_check(*, user: User, filename: str, content: bytes) -> CaseImport:
    """Check every row of an uploaded .xlsx or .zip of CSV files; keep it to confirm if clean."""
    if not can_import_cases(user):
        raise PermissionDenied
    name = PurePath(filename).name[-FILENAME_MAX_LENGTH:]
    plan = plan_import(read_upload(name, content), source=name, actor=user)
    case_import = CaseImport(id=uuid.uuid4(), uploaded_by=user, filename=name)
    if plan.is_clean:
        case_import.status = CaseImport.Status.CHECKED
        case_import.content = content
        case_import.counts = plan.counts()
    else:
        case_import.status = CaseImport.Status.REJECTED
        case_import.problems = _problem_dicts(plan.problems)
    case_import.save()
    return case_import


def _apply(case_import: CaseImport, user: User) -> list[Problem]:
    """Apply the stored upload; the problems that stopped it, if any."""
    read = read_upload(case_import.filename, bytes(case_import.content))
    try:
        plan = import_cases(read, source=case_import.filename, actor=user, import_id=case_import.pk)
    except IntegrityError:
        # The checks mirror every constraint; this is a last line, and nothing was written.
        message = "the database refused the import; nothing was written: upload it again"
        return [Problem(case_import.filename, 1, NO_COLUMN, message)]
    case_import.counts = plan.counts()
    return plan.problems


@transaction.atomic
def case_import_confirm(*, user: User, case_import: CaseImport) -> CaseImport:
    """Check a checked import again against the current records, and apply all of it or none."""
    if not can_import_cases(user):
        raise PermissionDenied
    # Locked, so two administrators confirming at once cannot apply it twice.
    locked = CaseImport.objects.select_for_update().get(pk=case_import.pk)
    if locked.status != CaseImport.Status.CHECKED:
        raise CaseImportNotConfirmable
    problems = _apply(locked, user)
    if problems:
        locked.status = CaseImport.Status.REJECTED
        locked.problems = _problem_dicts(problems)
    else:
        locked.status = CaseImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.applied_by = user
    locked.content = b""
    locked.save()
    return locked


# An upload holds personal data: one never confirmed is emptied after this long.
UNCONFIRMED_IMPORT_RETENTION = datetime.timedelta(days=7)


@transaction.atomic
def case_imports_purge_stale(*, now: datetime.datetime | None = None) -> int:
    """Empty the stored file of checked imports never confirmed; they must be uploaded again."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_IMPORT_RETENTION
    stale = CaseImport.objects.filter(status=CaseImport.Status.CHECKED, created_at__lt=cutoff)
    expired = Problem("", 1, NO_COLUMN, "not confirmed within 7 days, so the file was deleted")
    return stale.update(
        status=CaseImport.Status.REJECTED, content=b"", problems=[expired.as_dict()]
    )
