"""The report every output draws: figures of this and the previous period, row by row.

`figures` is `{"current": ..., "previous": ...}`, each shaped like the JSON in DATA_EXCHANGE.md
(already suppressed for public outputs). Values are ints, floats (percentages) or "<5"; a
change is worked out only when both values are numbers, so nothing suppressed can be recovered.
"""

import dataclasses
import datetime
from typing import Any

from reports.renderers import labels
from reports.renderers.definitions import DEFINITIONS

Value = int | float | str | None  # None: an average with no answers to average


def is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def show(value: Value, *, percent: bool = False) -> str:
    """A value as printed: 1,234 or 12.5% or <5 or [c]."""
    if value is None:
        return labels.NO_ANSWERS
    if not is_number(value):
        return str(value)
    if percent:
        return f"{value:.1f}%"
    return f"{value:,}"


@dataclasses.dataclass(frozen=True)
class Row:
    label: str
    current: Value
    previous: Value
    percent: bool = False
    # Table-only rows (totals, percentages) are left out of the chart.
    charted: bool = True

    @property
    def change(self) -> int | float | None:
        """This period minus the previous one; None when either is suppressed."""
        if not (is_number(self.current) and is_number(self.previous)):
            return None
        difference = self.current - self.previous  # type: ignore[operator]
        # Percentages and averages have one decimal; float subtraction adds noise beyond it.
        return round(difference, 1) if isinstance(difference, float) else difference

    @property
    def current_text(self) -> str:
        return show(self.current, percent=self.percent)

    @property
    def previous_text(self) -> str:
        return show(self.previous, percent=self.percent)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return labels.CHANGE_NOT_SHOWN
        if change == 0:
            return "No change"
        sign = "+" if change > 0 else "\N{MINUS SIGN}"
        amount = f"{abs(change):.1f} points" if self.percent else show(abs(change))
        return f"{sign}{amount}"


@dataclasses.dataclass(frozen=True)
class Breakdown:
    name: str  # a slug: the chart's file name, and the sheet and section it fills
    title: str
    counted: str  # what is counted, one sentence
    category: str  # the heading of the table's first column ("Age", "Legal status")
    unit: str  # what the chart's bars count ("Children")
    rows: tuple[Row, ...]
    takeaway: str
    chart: bool = True

    @property
    def chart_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.charted and not row.percent)


@dataclasses.dataclass(frozen=True)
class Periods:
    current: str  # "1 April 2025 to 30 September 2025"
    previous: str
    current_short: str  # "Apr to Sep 2025", for chart legends
    previous_short: str


@dataclasses.dataclass(frozen=True)
class Report:
    title: str
    council_name: str
    periods: Periods
    generated_at: datetime.datetime
    exact: bool
    summary: tuple[Row, ...]
    breakdowns: tuple[Breakdown, ...]
    definitions: tuple[tuple[str, str], ...] = DEFINITIONS

    @property
    def charts(self) -> tuple[Breakdown, ...]:
        return tuple(breakdown for breakdown in self.breakdowns if breakdown.chart)

    @property
    def marking(self) -> str:
        """The line every page, sheet and slide carries."""
        if self.exact:
            return f"{labels.SECURITY_MARKING} — {labels.NOT_FOR_PUBLICATION}"
        return labels.SECURITY_MARKING


def periods_of(figures: dict[str, Any]) -> Periods:
    current, previous = figures["current"]["period"], figures["previous"]["period"]
    return Periods(
        current=labels.period_label(current["start"], current["end"]),
        previous=labels.period_label(previous["start"], previous["end"]),
        current_short=labels.short_period_label(current["start"], current["end"]),
        previous_short=labels.short_period_label(previous["start"], previous["end"]),
    )
