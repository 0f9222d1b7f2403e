"""Report figures written by hand, in the contract's shape (DATA_EXCHANGE.md + reports/figures.py).

The exact figures are chosen so each can be found in an output; the public ones apply the rules
of reports/suppression.py by hand: 1 to 4 become "<5", a breakdown with one hidden cell hides its
next smallest as "[c]", and percentages and averages from small counts become "<5".
"""

import copy
import datetime

from reports.renderers.labels import REPORT_TITLE

COUNCIL = "Northshire County Council"

CURRENT_EXACT = {
    "period": {"start": "2025-04-01", "end": "2025-09-30"},
    "referrals": {"total": 47, "cce": 29, "cse": 13, "both": 5},
    "children": {
        "referred": 41,
        "looked_after": 17,
        "looked_after_pct": 41.5,
        "placed_in": 4,
        "by_sex": {"1": 27, "2": 14},
        "by_age_band": {"0-9": 0, "10-12": 3, "13-15": 19, "16-17": 16, "18+": 3},
        "by_ethnicity_group": {
            "White": 26,
            "Mixed": 6,
            "Asian": 2,
            "Black": 5,
            "Other": 0,
            "Not known": 2,
        },
        "by_exploitation": {"CCE": 24, "CSE": 12, "BOTH": 5},
        "looked_after_by_legal_status": {"C1": 1, "C2": 8, "V2": 6, "J1": 2},
    },
    "missing": {
        "episodes": 63,
        "children": 22,
        "rhi_offered": 58,
        "rhi_completed": 44,
        "rhi_within_72h": 29,
        "rhi_within_72h_pct": 46.0,
    },
    "risk": {"LOW": 9, "MEDIUM": 15, "HIGH": 11},
    "risk_movement": {"up": 6, "down": 9, "same": 14},
    "nrm": {
        "referred": 7,
        "reasonable_grounds_positive": 5,
        "reasonable_grounds_negative": 1,
        "conclusive_grounds_positive": 2,
        "conclusive_grounds_negative": 0,
    },
    "meetings": {
        "held": 31,
        "child_views_obtained": 24,
        "child_attended": 12,
        "parents_attended": 19,
    },
    "feedback": {
        "responses": 18,
        "by_respondent": {"CHILD": 7, "PARENT": 8, "CARER": 3},
        "mean_score": {"listened_to": 3.4, "understood": 3.1, "helped": 2.9},
    },
    "tasking": {
        "meetings_held": 12,
        "subjects_recorded": 9,
        "children_linked": 14,
        "escalations": 6,
        "immediate_actions": 38,
        "actions_by_tactic": {
            "ABDUCTION_TRAFFICKING": 5,
            "SEXUAL_OFFENCES": 6,
            "LOCATIONS": 12,
            "HARMFUL_BEHAVIOUR": 8,
            "VICTIM_CARE": 7,
        },
        "actions_by_status": {
            "OPEN": 10,
            "IN_PROGRESS": 9,
            "DONE": 19,
            "CANCELLED": 0,
        },
    },
}

PREVIOUS_EXACT = {
    "period": {"start": "2024-10-01", "end": "2025-03-31"},
    "referrals": {"total": 38, "cce": 22, "cse": 11, "both": 5},
    "children": {
        "referred": 33,
        "looked_after": 12,
        "looked_after_pct": 36.4,
        "placed_in": 3,
        "by_sex": {"1": 20, "2": 13},
        "by_age_band": {"0-9": 0, "10-12": 4, "13-15": 14, "16-17": 13, "18+": 2},
        "by_ethnicity_group": {
            "White": 22,
            "Mixed": 5,
            "Asian": 3,
            "Black": 2,
            "Other": 1,
            "Not known": 0,
        },
        "by_exploitation": {"CCE": 19, "CSE": 10, "BOTH": 4},
        "looked_after_by_legal_status": {"C2": 7, "V2": 5},
    },
    "missing": {
        "episodes": 51,
        "children": 19,
        "rhi_offered": 47,
        "rhi_completed": 35,
        "rhi_within_72h": 20,
        "rhi_within_72h_pct": 39.2,
    },
    "risk": {"LOW": 8, "MEDIUM": 12, "HIGH": 9},
    "risk_movement": {"up": 5, "down": 7, "same": 11},
    "nrm": {
        "referred": 4,
        "reasonable_grounds_positive": 3,
        "reasonable_grounds_negative": 0,
        "conclusive_grounds_positive": 1,
        "conclusive_grounds_negative": 1,
    },
    "meetings": {
        "held": 26,
        "child_views_obtained": 17,
        "child_attended": 8,
        "parents_attended": 15,
    },
    "feedback": {
        "responses": 4,
        "by_respondent": {"CHILD": 2, "PARENT": 2, "CARER": 0},
        "mean_score": {"listened_to": 3.0, "understood": 2.8, "helped": 2.5},
    },
    "tasking": {
        "meetings_held": 11,
        "subjects_recorded": 7,
        "children_linked": 10,
        "escalations": 5,
        "immediate_actions": 33,
        "actions_by_tactic": {
            "ABDUCTION_TRAFFICKING": 6,
            "SEXUAL_OFFENCES": 5,
            "LOCATIONS": 9,
            "HARMFUL_BEHAVIOUR": 7,
            "VICTIM_CARE": 6,
        },
        "actions_by_status": {
            "OPEN": 8,
            "IN_PROGRESS": 7,
            "DONE": 18,
            "CANCELLED": 0,
        },
    },
}


def _public(exact: dict, changes: dict[tuple[str, ...], object]) -> dict:
    public = copy.deepcopy(exact)
    for path, value in changes.items():
        section = public
        for key in path[:-1]:
            section = section[key]
        section[path[-1]] = value
    return public


SMALL, HIDDEN = "<5", "[c]"
CURRENT_PUBLIC = _public(
    CURRENT_EXACT,
    {
        ("children", "placed_in"): SMALL,
        ("children", "by_age_band", "10-12"): SMALL,
        ("children", "by_age_band", "18+"): SMALL,
        ("children", "by_ethnicity_group", "Asian"): SMALL,
        ("children", "by_ethnicity_group", "Not known"): SMALL,
        ("children", "looked_after_by_legal_status", "C1"): SMALL,
        ("children", "looked_after_by_legal_status", "J1"): SMALL,
        ("nrm", "reasonable_grounds_negative"): SMALL,
        ("nrm", "conclusive_grounds_positive"): SMALL,
        ("feedback", "by_respondent", "CARER"): SMALL,
        # The only hidden respondent group: 18 minus the others would give it away.
        ("feedback", "by_respondent", "CHILD"): HIDDEN,
    },
)
PREVIOUS_PUBLIC = _public(
    PREVIOUS_EXACT,
    {
        ("children", "placed_in"): SMALL,
        ("children", "by_age_band", "10-12"): SMALL,
        ("children", "by_age_band", "18+"): SMALL,
        ("children", "by_ethnicity_group", "Asian"): SMALL,
        ("children", "by_ethnicity_group", "Black"): SMALL,
        ("children", "by_ethnicity_group", "Other"): SMALL,
        ("children", "by_exploitation", "BOTH"): SMALL,
        # The only hidden exploitation group: 33 minus the others would give it away.
        ("children", "by_exploitation", "CSE"): HIDDEN,
        ("nrm", "referred"): SMALL,
        ("nrm", "reasonable_grounds_positive"): SMALL,
        ("nrm", "conclusive_grounds_positive"): SMALL,
        ("nrm", "conclusive_grounds_negative"): SMALL,
        ("feedback", "responses"): SMALL,
        ("feedback", "by_respondent", "CHILD"): SMALL,
        ("feedback", "by_respondent", "PARENT"): SMALL,
        ("feedback", "mean_score"): {"listened_to": SMALL, "understood": SMALL, "helped": SMALL},
    },
)


def exact_figures() -> dict:
    """`report_figures` as the exact outputs receive them."""
    return {"current": copy.deepcopy(CURRENT_EXACT), "previous": copy.deepcopy(PREVIOUS_EXACT)}


def public_figures() -> dict:
    """`report_figures` as the public outputs receive them (suppressed)."""
    return {"current": copy.deepcopy(CURRENT_PUBLIC), "previous": copy.deepcopy(PREVIOUS_PUBLIC)}


def empty_figures() -> dict:
    """A period with no activity at all: every count zero, no legal statuses, no averages."""
    figures = exact_figures()
    for period in figures.values():
        _zero(period)
        period["children"]["looked_after_by_legal_status"] = {}
    return figures


def _zero(section: dict) -> None:
    for key, value in section.items():
        if key == "period":
            continue
        if key == "mean_score":
            section[key] = dict.fromkeys(value)  # nothing to average
        elif isinstance(value, dict):
            _zero(value)
        else:
            section[key] = 0.0 if isinstance(value, float) else 0


def meta(*, exact: bool) -> dict:
    return {
        "title": REPORT_TITLE,
        "council_name": COUNCIL,
        "period_start": datetime.date(2025, 4, 1),
        "period_end": datetime.date(2025, 9, 30),
        "generated_at": datetime.datetime(2025, 10, 14, 9, 30, tzinfo=datetime.UTC),
        "exact": exact,
    }
