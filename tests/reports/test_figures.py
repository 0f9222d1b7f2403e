"""The shape of the figures, rounding, the query budget and the comparison period."""

import datetime

import pytest

from referrals.codes import ExploitationType
from reports.figures import (
    corporate_parenting_figures,
    mean,
    percent,
    previous_period,
    report_figures,
)
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import ReturnedEpisodeFactory, ReturnInterviewFactory
from tests.referrals.factories_nrm import RecoveryNrmReferralFactory
from tests.reports.factories import (
    ApprovedAssessmentFactory,
    FeedbackResponseFactory,
    HeldMeetingFactory,
    looked_after_referral,
    referral,
)

START, END = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)
D = datetime.date

EMPTY = {
    "period": {"start": "2025-04-01", "end": "2025-09-30"},
    "referrals": {"total": 0, "cce": 0, "cse": 0, "both": 0},
    "children": {
        "referred": 0,
        "looked_after": 0,
        "looked_after_pct": 0.0,
        "placed_in": 0,
        "by_sex": {"1": 0, "2": 0},
        "by_age_band": {"0-9": 0, "10-12": 0, "13-15": 0, "16-17": 0, "18+": 0},
        "by_ethnicity_group": {
            "White": 0,
            "Mixed": 0,
            "Asian": 0,
            "Black": 0,
            "Other": 0,
            "Not known": 0,
        },
        "by_exploitation": {"CCE": 0, "CSE": 0, "BOTH": 0},
        "looked_after_by_legal_status": {},
    },
    "missing": {
        "episodes": 0,
        "children": 0,
        "rhi_offered": 0,
        "rhi_completed": 0,
        "rhi_within_72h": 0,
        "rhi_within_72h_pct": 0.0,
    },
    "risk": {"LOW": 0, "MEDIUM": 0, "HIGH": 0},
    "risk_movement": {"up": 0, "down": 0, "same": 0},
    "nrm": {
        "referred": 0,
        "reasonable_grounds_positive": 0,
        "reasonable_grounds_negative": 0,
        "conclusive_grounds_positive": 0,
        "conclusive_grounds_negative": 0,
    },
    "meetings": {"held": 0, "child_views_obtained": 0, "child_attended": 0, "parents_attended": 0},
    "feedback": {
        "responses": 0,
        "by_respondent": {"CHILD": 0, "PARENT": 0, "CARER": 0},
        "mean_score": {"listened_to": None, "understood": None, "helped": None},
    },
    "tasking": {
        "meetings_held": 0,
        "subjects_recorded": 0,
        "children_linked": 0,
        "escalations": 0,
        "immediate_actions": 0,
        "actions_by_tactic": {
            "ABDUCTION_TRAFFICKING": 0,
            "SEXUAL_OFFENCES": 0,
            "LOCATIONS": 0,
            "HARMFUL_BEHAVIOUR": 0,
            "VICTIM_CARE": 0,
        },
        "actions_by_status": {"OPEN": 0, "IN_PROGRESS": 0, "DONE": 0, "CANCELLED": 0},
    },
}


@pytest.mark.django_db
def test_an_empty_period_has_every_key_at_zero():
    ChildFactory()  # a child with nothing in the period

    assert corporate_parenting_figures(START, END) == EMPTY


@pytest.mark.django_db
def test_sections_and_keys_come_in_the_contracts_order():
    figures = corporate_parenting_figures(START, END)

    assert list(figures) == list(EMPTY)
    for section, keys in EMPTY.items():
        assert list(figures[section]) == list(keys), section


def activity(copies):
    """Something in every section of the report, `copies` times over."""
    for _ in range(copies):
        child = ChildFactory()
        referral(child, D(2025, 5, 1), ExploitationType.CSE)
        looked_after_referral(child, D(2025, 6, 1), placing_authority="Southdale")
        ApprovedAssessmentFactory(child=child, completed_on=D(2025, 5, 2))
        ApprovedAssessmentFactory(child=child, completed_on=D(2025, 6, 2))
        ended_at = datetime.datetime(2025, 6, 3, 12, tzinfo=datetime.UTC)
        episode = ReturnedEpisodeFactory(
            child=child, started_at=ended_at - datetime.timedelta(hours=5), ended_at=ended_at
        )
        ReturnInterviewFactory(episode=episode)
        RecoveryNrmReferralFactory(child=child, referred_on=D(2025, 5, 3))
        HeldMeetingFactory(child=child)
        FeedbackResponseFactory(link__child=child)


@pytest.mark.django_db
@pytest.mark.parametrize("copies", [1, 12])
def test_twelve_queries_whatever_the_number_of_rows(copies, django_assert_num_queries):
    activity(copies)

    with django_assert_num_queries(12):
        figures = corporate_parenting_figures(START, END)

    assert figures["children"]["referred"] == copies
    assert figures["children"]["placed_in"] == copies
    assert figures["risk"]["MEDIUM"] == copies
    assert figures["missing"]["rhi_within_72h"] == copies
    assert figures["nrm"]["referred"] == copies
    assert figures["meetings"]["held"] == copies


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (0, 0, 0.0),  # nobody referred
        (0, 5, 0.0),
        (1, 8, 12.5),
        (1, 6, 16.7),
        (3, 8, 37.5),
        (9, 400, 2.3),  # 2.25: Python's round() gives 2.2
        (1, 40, 2.5),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (7, 7, 100.0),
        (1, 2000, 0.1),  # 0.05
        (1, 2001, 0.0),
    ],
)
def test_percent_is_rounded_half_up_to_one_decimal(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [(13, 4, 3.3), (11, 4, 2.8), (10, 3, 3.3), (5, 3, 1.7), (8, 2, 4.0), (None, 0, None)],
)
def test_mean_is_rounded_half_up_to_one_decimal(total, count, expected):
    assert mean(total, count) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Whole months: the same number of whole months before.
        (D(2025, 4, 1), D(2025, 9, 30), (D(2024, 10, 1), D(2025, 3, 31))),
        (D(2025, 10, 1), D(2026, 3, 31), (D(2025, 4, 1), D(2025, 9, 30))),
        (D(2025, 1, 1), D(2025, 12, 31), (D(2024, 1, 1), D(2024, 12, 31))),
        (D(2025, 3, 1), D(2025, 3, 31), (D(2025, 2, 1), D(2025, 2, 28))),
        (D(2024, 3, 1), D(2024, 3, 31), (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2025, 1, 1), D(2025, 1, 31), (D(2024, 12, 1), D(2024, 12, 31))),
        # Anything else: as many days, ending the day before.
        (D(2025, 4, 10), D(2025, 4, 19), (D(2025, 3, 31), D(2025, 4, 9))),
        (D(2025, 5, 5), D(2025, 5, 5), (D(2025, 5, 4), D(2025, 5, 4))),
        (D(2025, 4, 1), D(2025, 9, 29), (D(2024, 10, 1), D(2025, 3, 31))),
        (D(2025, 4, 2), D(2025, 9, 30), (D(2024, 10, 2), D(2025, 4, 1))),
    ],
)
def test_previous_period(start, end, expected):
    assert previous_period(start, end) == expected


@pytest.mark.django_db
def test_report_figures_compares_with_the_previous_period():
    referral(ChildFactory(), D(2025, 3, 31))
    referral(ChildFactory(), D(2024, 10, 1))
    referral(ChildFactory(), D(2025, 4, 1))

    figures = report_figures(START, END)

    assert figures["current"]["period"] == {"start": "2025-04-01", "end": "2025-09-30"}
    assert figures["current"]["referrals"]["total"] == 1
    assert figures["previous"]["period"] == {"start": "2024-10-01", "end": "2025-03-31"}
    assert figures["previous"]["referrals"]["total"] == 2
