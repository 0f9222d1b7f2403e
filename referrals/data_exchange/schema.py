"""The columns of each data exchange file (shared/DATA_EXCHANGE.md) and how their values are read.

A cell is stripped of surrounding spaces before it is read. A required column must be in the
header and have a value on every row; an optional column may be left out of the file (the import
then leaves that field of existing records alone) or left empty (the field is emptied).

Date-times (ISO 8601) without an offset are Europe/London wall-clock times. A time that does not
exist there (the hour skipped when the clocks go forward) is refused: give it with an offset. A
time that happens twice (the hour repeated when the clocks go back) is taken as the first, in
British Summer Time; give an offset (`+00:00`) to mean the second. The export always writes the
offset, so it reads back exactly.

Problem messages never repeat what was in a cell, only references: a misplaced column could put
a child's name into a code column, and problems are stored and shown.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone

from cre_portal.timescales import LONDON
from referrals.codes import (
    CareStatus,
    Disability,
    Ethnicity,
    ExploitationType,
    LegalStatus,
    MissingKind,
    PlacementType,
    PoliceRisk,
    ReferralSource,
    RhiOffered,
    Sex,
)

NO_COLUMN = "-"
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
LIST_SEPARATOR = ";"
# Codes are listed in the message when there are this many or fewer; longer lists are named.
MAX_CODES_LISTED = 6
REF_MAX_LENGTH = 40


@dataclasses.dataclass(frozen=True)
class Problem:
    """One reason the import cannot go ahead, printed as `file:line: column: message`."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class CellError(ValueError):
    """A cell that breaks its column's rule; the message says what is expected."""


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    required: bool
    # Reads the stripped, non-empty cell text; raises CellError.
    parse: Callable[[str], Any]
    # Writes the stored value back as cell text, for the export.
    format: Callable[[Any], str]
    # The value an empty cell stands for.
    empty: Any = ""


@dataclasses.dataclass(frozen=True)
class FileSpec:
    name: str
    ref_column: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


# --- Readers and writers of cell values -------------------------------------------------------
def normalise_newlines(value: Any) -> Any:
    """Line breaks as \\n: an .xlsx cannot keep \\r (XML drops it); browsers send \\r\\n."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def text(max_length: int | None = None) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = normalise_newlines(value)
        if max_length is not None and len(value) > max_length:
            raise CellError(f"must be {max_length} characters or fewer")
        return value

    return parse


def code(values: Sequence[str], label: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value in values:
            return value
        if len(values) <= MAX_CODES_LISTED:
            raise CellError(f"must be one of {', '.join(values)}")
        raise CellError(f"is not a {label}")

    return parse


def code_list(values: Sequence[str], label: str) -> Callable[[str], list[str]]:
    def parse(value: str) -> list[str]:
        items = split_list(value)
        if any(item not in values for item in items):
            raise CellError(f"must be {label}s separated by '{LIST_SEPARATOR}'")
        return items

    return parse


def text_list(max_length: int) -> Callable[[str], list[str]]:
    def parse(value: str) -> list[str]:
        items = split_list(value)
        if any(len(item) > max_length for item in items):
            raise CellError(f"each name must be {max_length} characters or fewer")
        return items

    return parse


def split_list(value: str) -> list[str]:
    """`;`-separated items, stripped, without empty ones or repeats, in their order."""
    items = (item.strip() for item in value.split(LIST_SEPARATOR))
    return list(dict.fromkeys(item for item in items if item))


def format_list(items: list[str]) -> str:
    return LIST_SEPARATOR.join(items)


def parse_date(value: str) -> datetime.date:
    try:
        if not DATE_PATTERN.fullmatch(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CellError("must be a date in the form YYYY-MM-DD, such as 2025-03-14") from None


def parse_past_date(value: str) -> datetime.date:
    day = parse_date(value)
    if day > timezone.localdate():
        raise CellError("must not be in the future")
    return day


def format_date(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def parse_datetime(value: str) -> datetime.datetime:
    """ISO 8601 with a time; without an offset it is Europe/London (see the module docstring)."""
    try:
        if not re.search(r"\d[T ]\d", value):
            raise ValueError
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CellError(
            "must be an ISO 8601 date and time, such as 2025-03-14T16:30 or 2025-03-14T16:30+00:00"
        ) from None
    if moment.tzinfo is not None:
        return moment.astimezone(datetime.UTC)
    # fold=0: the first of a repeated hour. In UTC from here on: Python never finds a time in a
    # repeated hour equal to a time in another zone (PEP 495), which would make every import
    # see it as changed.
    utc = moment.replace(tzinfo=LONDON).astimezone(datetime.UTC)
    if utc.astimezone(LONDON).replace(tzinfo=None) != moment:
        raise CellError(
            "is a time skipped when the clocks went forward in Europe/London: give it with an "
            "offset, such as +00:00"
        )
    return utc


def format_datetime(moment: datetime.datetime | None) -> str:
    return moment.astimezone(LONDON).isoformat() if moment else ""


def parse_yes_no(value: str) -> bool:
    if value not in ("Y", "N"):
        raise CellError("must be Y or N")
    return value == "Y"


def format_yes_no(flag: bool | None) -> str:
    return {True: "Y", False: "N", None: ""}[flag]


def _text_column(name: str, *, required: bool = False, max_length: int | None = None) -> Column:
    return Column(name, required, text(max_length), str)


def _code_column(name: str, values: Sequence[str], label: str, *, required: bool) -> Column:
    return Column(name, required, code(values, label), str)


def _ref_column(name: str) -> Column:
    return _text_column(name, required=True, max_length=REF_MAX_LENGTH)


# --- The files ----------------------------------------------------------------------------------
CHILDREN = FileSpec(
    name="children.csv",
    ref_column="child_ref",
    columns=(
        _ref_column("child_ref"),
        _text_column("first_name", required=True, max_length=100),
        _text_column("last_name", required=True, max_length=100),
        Column("known_as", False, text_list(100), format_list, empty=[]),
        Column("date_of_birth", True, parse_past_date, format_date),
        _code_column("sex", Sex.values, "903 sex code", required=True),
        _code_column("ethnicity", Ethnicity.values, "DfE ethnicity code", required=True),
        Column(
            "disability",
            False,
            code_list(Disability.values, "CIN disability code"),
            format_list,
            empty=[],
        ),
        _code_column("care_status", CareStatus.values, "care status", required=True),
        _code_column("legal_status", LegalStatus.values, "903 legal status code", required=False),
        _text_column("placing_authority", max_length=120),
        _code_column(
            "placement_type", PlacementType.values, "903 placement type code", required=False
        ),
    ),
)

REFERRALS = FileSpec(
    name="referrals.csv",
    ref_column="referral_ref",
    columns=(
        _ref_column("referral_ref"),
        _ref_column("child_ref"),
        Column("received_on", True, parse_date, format_date),
        _code_column(
            "exploitation_type", ExploitationType.values, "exploitation type", required=True
        ),
        _code_column("source", ReferralSource.values, "CIN referral source code", required=True),
        Column("looked_after", True, parse_yes_no, format_yes_no),
        _code_column("legal_status", LegalStatus.values, "903 legal status code", required=False),
        _text_column("placing_authority", max_length=120),
        _text_column("concerns"),
    ),
)

MISSING_EPISODES = FileSpec(
    name="missing_episodes.csv",
    ref_column="episode_ref",
    columns=(
        _ref_column("episode_ref"),
        _ref_column("child_ref"),
        _code_column("kind", MissingKind.values, "903 missing kind", required=True),
        Column("started_at", True, parse_datetime, format_datetime),
        Column("ended_at", False, parse_datetime, format_datetime, empty=None),
        _code_column("police_risk", PoliceRisk.values, "police risk grading", required=False),
        _code_column("rhi_offered", RhiOffered.values, "RHI offer", required=True),
        Column("rhi_accepted", False, parse_yes_no, format_yes_no, empty=None),
        Column("rhi_completed_at", False, parse_datetime, format_datetime, empty=None),
    ),
)

# No handler in referrals: the risk assessment app registers one (see registry.py). The columns
# are here so that handler and the export share the documented format.
ASSESSMENTS = FileSpec(
    name="assessments.csv",
    ref_column="assessment_ref",
    columns=(
        _ref_column("assessment_ref"),
        _ref_column("child_ref"),
        Column("completed_on", True, parse_date, format_date),
        _code_column("level", ("LOW", "MEDIUM", "HIGH"), "risk level", required=True),
        _code_column(
            "exploitation_type", ExploitationType.values, "exploitation type", required=True
        ),
    ),
)

# The documented files, in the order they are applied (children first: the others refer to them).
DOCUMENTED_FILES = (CHILDREN.name, REFERRALS.name, MISSING_EPISODES.name, ASSESSMENTS.name)

# What each file holds, in words, for the import pages.
FILE_LABELS = {
    CHILDREN.name: "Children",
    REFERRALS.name: "Referrals",
    MISSING_EPISODES.name: "Missing episodes",
    ASSESSMENTS.name: "Risk assessments",
}
