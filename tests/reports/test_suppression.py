"""Public figures: small counts, the percentages and means made from them, and secondary cells."""

import copy
import datetime

import pytest

from reports.figures import corporate_parenting_figures
from reports.suppression import BREAKDOWNS, MEANS, PERCENTAGES, SECONDARY, SMALL, suppress
from tests.reports.test_figures import EMPTY


def figures(**sections):
    """The empty figures with some sections' values replaced."""
    result = copy.deepcopy(EMPTY)
    for section, values in sections.items():
        result[section].update(values)
    return result


def children(referred, **values):
    return figures(children={"referred": referred, **values})


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, SMALL), (4, SMALL), (5, 5), (120, 120)])
def test_counts_from_one_to_four_are_hidden(count, shown):
    public = suppress(figures(missing={"episodes": count}, nrm={"referred": count}))

    assert public["missing"]["episodes"] == shown
    assert public["nrm"]["referred"] == shown


def test_counts_inside_breakdowns_are_hidden_too():
    public = suppress(
        children(10, by_age_band={"0-9": 0, "10-12": 5, "13-15": 2, "16-17": 3, "18+": 0})
    )

    assert public["children"]["by_age_band"] == {
        "0-9": 0,
        "10-12": 5,
        "13-15": SMALL,
        "16-17": SMALL,
        "18+": 0,
    }


def test_the_period_is_left_alone():
    assert suppress(EMPTY)["period"] == EMPTY["period"]


def test_nothing_small_means_nothing_hidden():
    exact = children(10, looked_after=5, looked_after_pct=50.0, by_sex={"1": 5, "2": 5})

    assert suppress(exact) == exact


def test_the_exact_figures_are_not_changed():
    exact = children(3, by_sex={"1": 1, "2": 2})
    before = copy.deepcopy(exact)

    suppress(exact)

    assert exact == before


@pytest.mark.parametrize(
    ("looked_after", "referred", "shown"),
    [
        (3, 10, SMALL),  # from a small numerator
        (0, 3, SMALL),  # from a small denominator
        (0, 10, 0.0),
        (0, 0, 0.0),
        (5, 10, 50.0),
    ],
)
def test_percentages_made_from_a_small_count_are_hidden(looked_after, referred, shown):
    pct = 100 * looked_after / referred if referred else 0.0
    exact = children(referred, looked_after=looked_after, looked_after_pct=pct)

    assert suppress(exact)["children"]["looked_after_pct"] == shown


def test_timeliness_percentage_made_from_a_small_count_is_hidden():
    exact = figures(missing={"episodes": 20, "rhi_within_72h": 2, "rhi_within_72h_pct": 10.0})

    assert suppress(exact)["missing"]["rhi_within_72h_pct"] == SMALL


def test_a_single_hidden_cell_hides_the_next_smallest_too():
    # 13 children, 3 of them boys: showing 10 girls would give the 3 away.
    public = suppress(children(13, by_sex={"1": 3, "2": 10}))

    assert public["children"]["by_sex"] == {"1": SMALL, "2": SECONDARY}
    assert public["children"]["referred"] == 13


def test_secondary_suppression_takes_the_smallest_non_zero_cell():
    by_ethnicity = {"White": 20, "Mixed": 6, "Asian": 9, "Black": 2, "Other": 0, "Not known": 6}

    public = suppress(children(43, by_ethnicity_group=by_ethnicity))

    assert public["children"]["by_ethnicity_group"] == {
        "White": 20,
        "Mixed": SECONDARY,  # ties with "Not known": the first in the breakdown's order
        "Asian": 9,
        "Black": SMALL,
        "Other": 0,
        "Not known": 6,
    }


def test_two_hidden_cells_need_no_secondary_suppression():
    by_exploitation = {"CCE": 2, "CSE": 3, "BOTH": 10}

    public = suppress(children(15, by_exploitation=by_exploitation))

    assert public["children"]["by_exploitation"] == {"CCE": SMALL, "CSE": SMALL, "BOTH": 10}


def test_no_secondary_suppression_when_the_total_is_hidden():
    public = suppress(children(4, by_sex={"1": 4, "2": 0}))

    assert public["children"]["by_sex"] == {"1": SMALL, "2": 0}
    assert public["children"]["referred"] == SMALL


def test_referral_types_are_protected_against_the_total():
    public = suppress(figures(referrals={"total": 30, "cce": 20, "cse": 9, "both": 1}))

    assert public["referrals"] == {"total": 30, "cce": 20, "cse": SECONDARY, "both": SMALL}


def test_legal_statuses_are_protected_against_the_looked_after_total():
    exact = children(40, looked_after=12, looked_after_pct=30.0)
    exact["children"]["looked_after_by_legal_status"] = {"C2": 7, "V2": 4, "J1": 1}

    legal = suppress(exact)["children"]["looked_after_by_legal_status"]

    assert legal == {"C2": 7, "V2": SMALL, "J1": SMALL}


def test_legal_status_alone_below_five_hides_another():
    exact = children(40, looked_after=15, looked_after_pct=37.5)
    exact["children"]["looked_after_by_legal_status"] = {"C2": 6, "V2": 5, "J1": 4}

    legal = suppress(exact)["children"]["looked_after_by_legal_status"]

    assert legal == {"C2": 6, "V2": SECONDARY, "J1": SMALL}


def test_feedback_respondents_are_protected_against_the_responses():
    exact = figures(
        feedback={
            "responses": 12,
            "by_respondent": {"CHILD": 1, "PARENT": 5, "CARER": 6},
            "mean_score": {"listened_to": 3.1, "understood": 2.9, "helped": 3.4},
        }
    )

    feedback = suppress(exact)["feedback"]

    assert feedback["by_respondent"] == {"CHILD": SMALL, "PARENT": SECONDARY, "CARER": 6}
    assert feedback["mean_score"] == {"listened_to": 3.1, "understood": 2.9, "helped": 3.4}


def test_means_of_fewer_than_five_answers_are_hidden():
    exact = figures(
        feedback={
            "responses": 4,
            "by_respondent": {"CHILD": 0, "PARENT": 4, "CARER": 0},
            "mean_score": {"listened_to": 3.3, "understood": 3.3, "helped": 2.8},
        }
    )

    feedback = suppress(exact)["feedback"]

    assert feedback["mean_score"] == {"listened_to": SMALL, "understood": SMALL, "helped": SMALL}


def test_no_answers_leave_no_means():
    assert suppress(EMPTY)["feedback"]["mean_score"] == EMPTY["feedback"]["mean_score"]


def walk(section, path=()):
    for key, value in section.items():
        if isinstance(value, dict):
            yield from walk(value, (*path, key))
        yield (*path, key), value


@pytest.mark.django_db
def test_every_breakdown_and_derived_figure_has_a_rule():
    """A figure added later must be given a suppression rule, or this fails."""
    exact = corporate_parenting_figures(datetime.date(2025, 4, 1), datetime.date(2025, 9, 30))
    breakdowns = {where for where, _keys, _total in BREAKDOWNS}

    for path, value in walk(exact):
        if "by_" in path[-1]:
            assert path in breakdowns, path
        if isinstance(value, float) or value is None:
            assert path in PERCENTAGES or path[:-1] in MEANS, path
