"""`python manage.py corporate_parenting_report --start D --end D --format json [--exact]`."""

import argparse
import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.figures import corporate_parenting_figures
from reports.suppression import suppress


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date: enter it as YYYY-MM-DD, for example 2025-04-01"
        ) from None


class Command(BaseCommand):
    # Run by an administrator on the server. The figures are counts about no named child, so
    # there is no child's access log to write; the public version (without --exact) is the default.
    help = (
        "Print the Corporate Parenting report figures for a period (both dates inclusive) as JSON "
        '(shared/DATA_EXCHANGE.md). Counts from 1 to 4 are printed as "<5" unless --exact.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=iso_date, required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", type=iso_date, required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json"], default="json", help="only json for now")
        parser.add_argument(
            "--exact", action="store_true", help="print small numbers as they are (not public)"
        )

    def handle(
        self, *args: Any, start: datetime.date, end: datetime.date, exact: bool, **options: Any
    ) -> None:
        if start > end:
            raise CommandError("The start date must be the same as or before the end date")
        figures = corporate_parenting_figures(start, end)
        self.stdout.write(json.dumps(figures if exact else suppress(figures)))
