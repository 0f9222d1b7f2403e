"""Every due date in one place: working days with England bank holidays, and the fixed clocks."""

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

LONDON = ZoneInfo("Europe/London")
RHI_WINDOW = datetime.timedelta(hours=72)
NRM_REASONABLE_GROUNDS_WORKING_DAYS = 5
NRM_RECOVERY_PERIOD = datetime.timedelta(days=30)
SATURDAY = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not an England bank holiday."""
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the start day itself is not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def rhi_due_at(returned_at: datetime.datetime) -> datetime.datetime:
    """72 elapsed hours after return; across a clock change the local time shifts by an hour."""
    # Arithmetic on a zoned datetime adds wall-clock time; elapsed hours need UTC.
    return returned_at.astimezone(datetime.UTC) + RHI_WINDOW


def nrm_reasonable_grounds_due(referred_on: datetime.date) -> datetime.date:
    return add_working_days(referred_on, NRM_REASONABLE_GROUNDS_WORKING_DAYS)


def nrm_recovery_period_ends(reasonable_grounds_on: datetime.date) -> datetime.date:
    return reasonable_grounds_on + NRM_RECOVERY_PERIOD


def risk_review_due(level: str, completed_on: datetime.date) -> datetime.date:
    """When the next CRE risk assessment is due: settings.RISK_REVIEW_WEEKS after approval."""
    return completed_on + datetime.timedelta(weeks=settings.RISK_REVIEW_WEEKS[level])


def local_date(moment: datetime.datetime) -> datetime.date:
    """The Europe/London calendar date of an aware datetime."""
    return moment.astimezone(LONDON).date()
