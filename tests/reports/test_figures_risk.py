"""Risk levels: each referred child's latest completed assessment by the end of the period."""

import datetime

import pytest

from referrals.codes import RiskLevel
from reports.figures import corporate_parenting_figures
from tests.referrals.factories import ChildFactory
from tests.reports.factories import (
    ApprovedAssessmentFactory,
    ImportedAssessmentFactory,
    SubmittedAssessmentFactory,
    created,
    referral,
)

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)
LOW, MEDIUM, HIGH = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH
D = datetime.date


def referred_child():
    child = ChildFactory()
    referral(child, D(2025, 5, 1))
    return child


def assessed(child, completed_on, level, factory=ApprovedAssessmentFactory):
    return factory(child=child, completed_on=completed_on, computed_level=level, level=level)


def at(day, hour):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


@pytest.fixture
def assessments():
    rises = referred_child()
    assessed(rises, D(2025, 1, 10), LOW)
    assessed(rises, D(2025, 6, 1), HIGH)
    # Completed on the last day counts; after the period doesn't.
    steady = referred_child()
    assessed(steady, D(2025, 2, 1), MEDIUM)
    assessed(steady, D(2025, 9, 30), MEDIUM)
    assessed(steady, D(2025, 10, 1), HIGH)
    # Two on one day: the later-created one is the latest, whatever order they were saved in.
    tied = referred_child()
    assessed(tied, D(2025, 1, 1), MEDIUM)
    created(assessed(tied, D(2025, 5, 5), HIGH), at(D(2025, 5, 5), 12))
    created(assessed(tied, D(2025, 5, 5), LOW), at(D(2025, 5, 5), 9))
    # Imported history counts; an assessment waiting for approval doesn't.
    imported = referred_child()
    assessed(imported, D(2024, 12, 1), HIGH, ImportedAssessmentFactory)
    assessed(imported, None, LOW, SubmittedAssessmentFactory)
    falls = referred_child()
    assessed(falls, D(2025, 3, 1), HIGH)
    assessed(falls, D(2025, 8, 1), LOW)
    referred_child()  # never assessed: not counted
    assessed(ChildFactory(), D(2025, 6, 1), HIGH)  # not referred in the period


def test_latest_level_of_each_referred_child(assessments):
    assert corporate_parenting_figures(START, END)["risk"] == {"LOW": 1, "MEDIUM": 1, "HIGH": 3}


def test_movement_between_the_last_two_completed_assessments(assessments):
    # Up: LOW to HIGH, and LOW to HIGH on the tied day; down: HIGH to LOW; same: MEDIUM twice.
    movement = corporate_parenting_figures(START, END)["risk_movement"]

    assert movement == {"up": 2, "down": 1, "same": 1}


def test_a_tie_goes_to_the_later_created_assessment_even_if_saved_first():
    child = referred_child()
    created(assessed(child, D(2025, 5, 5), LOW), at(D(2025, 5, 5), 12))
    created(assessed(child, D(2025, 5, 5), HIGH), at(D(2025, 5, 5), 9))

    figures = corporate_parenting_figures(START, END)

    assert figures["risk"] == {"LOW": 1, "MEDIUM": 0, "HIGH": 0}
    assert figures["risk_movement"] == {"up": 0, "down": 1, "same": 0}
