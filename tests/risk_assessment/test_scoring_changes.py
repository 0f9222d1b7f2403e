"""What changed between two assessments: indicators compared by code, and the level's move."""

import pytest

from referrals.codes import RiskLevel
from risk_assessment.scoring import NOT_KNOWN, NOT_PRESENT, PRESENT, Changes, what_changed

HIGH, MEDIUM, LOW = RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW


def test_indicators_appear_clear_and_persist():
    # given
    before = {"missing": PRESENT, "money": PRESENT, "weapons": NOT_PRESENT, "hotels": NOT_KNOWN}
    now = {"missing": PRESENT, "money": NOT_PRESENT, "weapons": PRESENT, "hotels": PRESENT}

    # when
    changes = what_changed(now=now, before=before, level_now=HIGH, level_before=MEDIUM)

    # then
    assert changes.appeared == ["weapons", "hotels"]
    assert changes.cleared == ["money"]
    assert changes.persisted == ["missing"]
    assert changes.unconfirmed == []


def test_present_before_but_not_known_now_is_not_counted_as_cleared():
    before = {"missing": PRESENT, "money": PRESENT}
    now = {"missing": NOT_KNOWN, "money": ""}

    changes = what_changed(now=now, before=before, level_now=LOW, level_before=MEDIUM)

    assert changes.cleared == []
    assert changes.unconfirmed == ["missing", "money"]


def test_indicators_are_compared_by_code_across_template_versions():
    # given: "online" was dropped from the new version, "gang" was added to it
    before = {"missing": PRESENT, "online": PRESENT}
    now = {"missing": PRESENT, "gang": PRESENT}

    changes = what_changed(now=now, before=before, level_now=HIGH, level_before=HIGH)

    assert changes.persisted == ["missing"]
    assert changes.appeared == ["gang"]
    assert changes.unconfirmed == ["online"]
    assert changes.cleared == []


def test_lists_follow_the_order_given():
    before = {"c": PRESENT, "a": PRESENT}
    now = {"a": PRESENT, "b": PRESENT, "c": PRESENT, "d": PRESENT}

    changes = what_changed(now=now, before=before, level_now=HIGH, level_before=HIGH)

    assert changes.persisted == ["a", "c"]
    assert changes.appeared == ["b", "d"]


def test_no_previous_answers_makes_everything_present_new():
    changes = what_changed(
        now={"a": PRESENT, "b": NOT_PRESENT}, before={}, level_now=MEDIUM, level_before=LOW
    )

    assert changes.appeared == ["a"]
    assert changes.cleared == changes.persisted == changes.unconfirmed == []


@pytest.mark.parametrize(
    ("before", "now", "direction", "movement"),
    [
        (LOW, HIGH, "up", "Low → High"),
        (MEDIUM, HIGH, "up", "Medium → High"),
        (HIGH, LOW, "down", "High → Low"),
        (HIGH, MEDIUM, "down", "High → Medium"),
        (MEDIUM, MEDIUM, "same", "Medium"),
        ("", HIGH, "same", "High"),
        ("", "", "same", "Not yet known"),
    ],
)
def test_how_the_level_moved(before, now, direction, movement):
    changes = Changes([], [], [], [], level_before=before, level_now=now)

    assert changes.direction == direction
    assert changes.level_movement == movement
