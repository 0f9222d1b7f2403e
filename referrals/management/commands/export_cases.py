"""`python manage.py export_cases PATH`: write every record in the format of DATA_EXCHANGE.md."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from referrals.data_exchange.export import export_cases


class Command(BaseCommand):
    # Run by an administrator on the server; there is no user to write an access-log row for,
    # so the server's own access controls and shell history are the record of it.
    help = (
        "Write children, referrals, missing episodes and risk assessment outcomes as CSV files "
        "into the folder PATH, or as one workbook when PATH ends with .xlsx "
        "(shared/DATA_EXCHANGE.md). The files hold personal data about children: keep them only "
        "as long as needed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a folder (created if needed) or a file ending .xlsx")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        tables = export_cases(Path(path))
        for table in tables:
            self.stdout.write(f"{table.file}: {len(table.rows)} rows")
