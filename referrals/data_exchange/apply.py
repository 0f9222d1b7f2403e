"""Applying an import: check again inside one transaction, then write all of it or nothing."""

import uuid

import pghistory
from django.db import connection, transaction

from cre_portal.accounts.models import User
from referrals.data_exchange.plan import ImportPlan, plan_import
from referrals.data_exchange.reader import ReadResult

SOURCE = "import_cases"
# One import at a time: two imports creating the same new reference would otherwise race.
IMPORT_LOCK_KEY = 0x43524549  # "CREI"


def import_cases(
    read: ReadResult,
    *,
    source: str,
    actor: User | None,
    import_id: uuid.UUID,
    dry_run: bool = False,
) -> ImportPlan:
    """Check every row of every file against the database and, if all is clean, write it all.

    Everything happens in one transaction: the check reads (and locks) the records it compares
    with, so what is written is exactly what was checked. History rows carry the import's id.
    `actor` is the administrator in the browser, None for the command line (the system).
    """
    with transaction.atomic(), pghistory.context(import_id=str(import_id), source=SOURCE):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        plan = plan_import(read, source=source, actor=actor, lock=True)
        if plan.is_clean and not dry_run:
            for handler, file_plan in plan.files:
                handler.apply(file_plan, plan.ctx)
    return plan
