"""Referral and children figures against a hand-counted cohort (shared/DATA_EXCHANGE.md)."""

import datetime

import pytest

from referrals.codes import Ethnicity, ExploitationType, LegalStatus, Sex
from reports.figures import corporate_parenting_figures
from reports.suppression import BREAKDOWNS
from tests.referrals.factories import ChildFactory
from tests.reports.factories import looked_after_referral, referral

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)
CCE, CSE, BOTH = ExploitationType.CCE, ExploitationType.CSE, ExploitationType.BOTH
D = datetime.date


def child(sex, ethnicity, born):
    return ChildFactory(sex=sex, ethnicity=ethnicity, date_of_birth=born)


@pytest.fixture
def cohort():
    """Six children referred in the period, one referred only after it, one never referred."""
    # A: 13 on the day of her first referral in the period; CCE there, CSE only before it.
    a = child(Sex.FEMALE, Ethnicity.WBRI, D(2012, 5, 1))
    looked_after_referral(a, D(2025, 3, 31), exploitation_type=CSE, legal_status=LegalStatus.C1)
    referral(a, D(2025, 5, 1), CCE)
    referral(a, D(2025, 6, 15), CCE)
    # B: referred on the first and the last day; turns 16 the day after the first; CCE + CSE.
    b = child(Sex.MALE, Ethnicity.MWBC, D(2009, 4, 2))
    referral(b, D(2025, 4, 1), CCE)
    looked_after_referral(b, D(2025, 9, 30), exploitation_type=CSE, legal_status=LegalStatus.V2)
    # C: placed here by another authority on the first looked-after referral, not the second.
    c = child(Sex.MALE, Ethnicity.AIND, D(2008, 1, 1))
    looked_after_referral(c, D(2025, 6, 1), exploitation_type=CSE, placing_authority="Southdale")
    looked_after_referral(c, D(2025, 7, 1), exploitation_type=CSE, legal_status=LegalStatus.V2)
    # D: a single referral for both kinds of exploitation.
    d = child(Sex.FEMALE, Ethnicity.BAFR, D(2016, 2, 1))
    referral(d, D(2025, 6, 1), BOTH)
    # E: not looked after, then looked after (J1).
    e = child(Sex.FEMALE, Ethnicity.REFU, D(2007, 4, 1))
    referral(e, D(2025, 4, 10), CCE)
    looked_after_referral(e, D(2025, 5, 10), exploitation_type=CCE, legal_status=LegalStatus.J1)
    # F: two looked-after referrals on one day; the one recorded first is placed in, V2.
    f = child(Sex.MALE, Ethnicity.OOTH, D(2014, 10, 1))
    looked_after_referral(
        f,
        D(2025, 7, 1),
        exploitation_type=CSE,
        legal_status=LegalStatus.V2,
        placing_authority="East",
    )
    looked_after_referral(f, D(2025, 7, 1), exploitation_type=CSE, legal_status=LegalStatus.C2)
    # Outside the period, or never referred.
    referral(child(Sex.MALE, Ethnicity.WBRI, D(2010, 1, 1)), D(2025, 10, 1), CSE)
    child(Sex.MALE, Ethnicity.WBRI, D(2010, 1, 1))


def test_referrals_are_counted_by_type_with_both_ends_of_the_period(cohort):
    figures = corporate_parenting_figures(START, END)

    assert figures["referrals"] == {"total": 11, "cce": 5, "cse": 5, "both": 1}


def test_each_referred_child_is_counted_once(cohort):
    children = corporate_parenting_figures(START, END)["children"]

    assert children["referred"] == 6
    for name, breakdown in children.items():
        if name.startswith("by_"):
            assert sum(breakdown.values()) == 6, name


def test_each_breakdown_the_public_version_protects_adds_up_to_its_total(cohort):
    figures = corporate_parenting_figures(START, END)

    def at(path):
        value = figures
        for key in path:
            value = value[key]
        return value

    for where, keys, total in BREAKDOWNS:
        cells = at(where)
        assert sum(cells[key] for key in keys or cells) == at(total), where


def test_looked_after_if_any_referral_in_the_period_says_so(cohort):
    children = corporate_parenting_figures(START, END)["children"]

    # B, C, E and F; A was looked after only on a referral before the period.
    assert children["looked_after"] == 4
    assert children["looked_after_pct"] == 66.7


def test_placed_in_follows_the_first_looked_after_referral(cohort):
    # C and F; C's later referral names no placing authority, F's second doesn't either.
    assert corporate_parenting_figures(START, END)["children"]["placed_in"] == 2


def test_breakdowns_by_sex_age_and_ethnicity(cohort):
    children = corporate_parenting_figures(START, END)["children"]

    assert children["by_sex"] == {"1": 3, "2": 3}
    assert children["by_age_band"] == {"0-9": 1, "10-12": 1, "13-15": 2, "16-17": 1, "18+": 1}
    assert children["by_ethnicity_group"] == {
        "White": 1,
        "Mixed": 1,
        "Asian": 1,
        "Black": 1,
        "Other": 1,
        "Not known": 1,
    }


def test_exploitation_per_child_over_their_referrals_in_the_period(cohort):
    # CCE: A (her CSE referral was before the period) and E; CSE: C and F; BOTH: B and D.
    by_exploitation = corporate_parenting_figures(START, END)["children"]["by_exploitation"]

    assert by_exploitation == {"CCE": 2, "CSE": 2, "BOTH": 2}


def test_legal_status_from_the_first_looked_after_referral_only_non_zero(cohort):
    legal = corporate_parenting_figures(START, END)["children"]["looked_after_by_legal_status"]

    # B V2, C C2 (not its later V2), E J1, F V2 (recorded before its C2 the same day).
    assert legal == {"C2": 1, "V2": 2, "J1": 1}
    assert list(legal) == ["C2", "V2", "J1"]  # in the order of the 903 code list


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (D(2012, 5, 1), "13-15"),  # 13th birthday on the day of the first referral
        (D(2012, 5, 2), "10-12"),  # the day after
        (D(2007, 5, 1), "18+"),
        (D(2007, 5, 2), "16-17"),
        (D(2015, 5, 1), "10-12"),
        (D(2015, 5, 2), "0-9"),
        (D(2009, 5, 1), "16-17"),
        (D(2009, 5, 2), "13-15"),
    ],
)
def test_age_is_whole_years_on_the_first_referral_in_the_period(born, band):
    young = child(Sex.FEMALE, Ethnicity.WBRI, born)
    referral(young, D(2025, 3, 1))  # before the period: not the date that counts
    referral(young, D(2025, 5, 1))
    referral(young, D(2025, 9, 1))  # older by then: not the date that counts either

    by_age_band = corporate_parenting_figures(START, END)["children"]["by_age_band"]

    assert by_age_band == {key: int(key == band) for key in by_age_band}


def test_looked_after_percentage_is_rounded_half_up():
    for number in range(8):
        referred = child(Sex.FEMALE, Ethnicity.WBRI, D(2011, 1, 1))
        if number == 0:
            looked_after_referral(referred, D(2025, 5, 1))
        else:
            referral(referred, D(2025, 5, 1))

    assert corporate_parenting_figures(START, END)["children"]["looked_after_pct"] == 12.5
