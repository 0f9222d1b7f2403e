"""`python manage.py import_cases PATH`: import case data in the format of DATA_EXCHANGE.md."""

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from referrals.data_exchange.apply import import_cases
from referrals.data_exchange.reader import read_path

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Import children, referrals, missing episodes and risk assessment outcomes from a folder "
        "of CSV files or an .xlsx workbook (shared/DATA_EXCHANGE.md). Every row is checked "
        "first: on any problem nothing is written, each problem is printed on standard output "
        "as `file:line: column: message` and the command exits with status 1 (2 when PATH "
        "cannot be used)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a folder of CSV files, or an .xlsx workbook")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )

    def handle(self, *args: Any, path: str, dry_run: bool, **options: Any) -> None:
        source = Path(path)
        if not source.is_dir() and not (source.is_file() and source.suffix.lower() == ".xlsx"):
            raise CommandError(
                f"{path}: give a folder of CSV files or an .xlsx workbook", returncode=USAGE_ERROR
            )
        import_id = uuid.uuid4()
        # From the command line there is no user: the system (actor None) does the import.
        plan = import_cases(
            read_path(source), source=source.name, actor=None, import_id=import_id, dry_run=dry_run
        )
        for problem in plan.problems:
            self.stdout.write(str(problem))
        if plan.problems:
            count = len(plan.problems)
            raise CommandError(f"{count} problem{'s' if count > 1 else ''}; nothing was imported.")
        for file, counts in plan.counts().items():
            self.stdout.write(
                f"{file}: {counts['new']} new, {counts['changed']} changed, "
                f"{counts['unchanged']} unchanged"
            )
        done = "Checked; nothing written (--dry-run)." if dry_run else f"Imported: {import_id}"
        self.stdout.write(self.style.SUCCESS(done))
