"""Scoring, the level thresholds, the significant rule, review dates and the default template."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps

from cre_portal.timescales import risk_review_due
from referrals.codes import RiskLevel
from risk_assessment.models import AssessmentTemplate, Domain
from risk_assessment.scoring import (
    NOT_KNOWN,
    NOT_PRESENT,
    PRESENT,
    is_lowering,
    level_for,
    score_answers,
)
from tests.risk_assessment.factories_assessments import AssessmentFactory, small_template

pytestmark = pytest.mark.django_db

HIGH, MEDIUM, LOW = RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW


# --- level_for: thresholds are "at or above" ----------------------------------------------------
@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, LOW), (4, LOW), (5, MEDIUM), (9, MEDIUM), (10, HIGH), (40, HIGH)],
)
def test_level_for_uses_the_thresholds_at_or_above(score, expected):
    level = level_for(score, medium_threshold=5, high_threshold=10, significant_present=False)

    assert level == expected


@pytest.mark.parametrize("score", [0, 5, 10])
def test_a_significant_indicator_present_gives_high_whatever_the_score(score):
    level = level_for(score, medium_threshold=5, high_threshold=10, significant_present=True)

    assert level == HIGH


# --- score_answers against a template -----------------------------------------------------------
def _ids(template):
    return {indicator.code: indicator.pk for indicator in template.indicators.all()}


def test_score_sums_the_weights_of_present_indicators_only():
    # given: weights went-missing 3, older-associates 4, unexplained-money 2, online-grooming 3
    template = small_template()
    ids = _ids(template)
    answers = {
        ids["went-missing"]: PRESENT,
        ids["older-associates"]: NOT_PRESENT,
        ids["unexplained-money"]: PRESENT,
        ids["online-grooming"]: NOT_KNOWN,
    }

    # when
    score, level = score_answers(template, answers)

    # then: 3 + 2; not present, not known and unanswered count nothing
    assert (score, level) == (5, MEDIUM)


def test_score_of_nothing_present_is_zero_and_low():
    template = small_template()

    assert score_answers(template, {}) == (0, LOW)


def test_score_at_the_high_threshold_is_high():
    template = small_template()
    ids = _ids(template)
    present = ["went-missing", "older-associates", "online-grooming"]  # 3 + 4 + 3 = 10

    assert score_answers(template, dict.fromkeys((ids[c] for c in present), PRESENT)) == (10, HIGH)


def test_the_significant_indicator_alone_gives_high_with_a_low_score():
    template = small_template()
    trap_house = _ids(template)["trap-house"]

    assert score_answers(template, {trap_house: PRESENT}) == (5, HIGH)


def test_the_significant_indicator_not_known_counts_nothing():
    template = small_template()
    trap_house = _ids(template)["trap-house"]

    assert score_answers(template, {trap_house: NOT_KNOWN}) == (0, LOW)


def test_answers_to_another_templates_indicators_are_ignored():
    template, other = small_template(), small_template()
    answers = dict.fromkeys(_ids(other).values(), PRESENT)

    assert score_answers(template, answers) == (0, LOW)


def test_scoring_uses_the_template_thresholds():
    template = small_template(medium_threshold=2, high_threshold=3)
    money = _ids(template)["unexplained-money"]

    assert score_answers(template, {money: PRESENT}) == (2, MEDIUM)


# --- Lowering -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("computed", "override", "lowering"),
    [
        (HIGH, MEDIUM, True),
        (HIGH, LOW, True),
        (MEDIUM, LOW, True),
        (LOW, HIGH, False),
        (MEDIUM, HIGH, False),
        (HIGH, HIGH, False),
        (HIGH, "", False),
    ],
)
def test_is_lowering(computed, override, lowering):
    assert is_lowering(computed_level=computed, override_level=override) is lowering


# --- Review dates -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("level", "due"),
    [
        (HIGH, datetime.date(2026, 3, 31)),  # 4 weeks
        (MEDIUM, datetime.date(2026, 4, 28)),  # 8 weeks
        (LOW, datetime.date(2026, 5, 26)),  # 12 weeks
    ],
)
def test_review_is_due_4_8_or_12_weeks_after_approval_by_level(level, due):
    assert risk_review_due(level, datetime.date(2026, 3, 3)) == due


def test_review_weeks_come_from_settings_when_set(settings):
    settings.RISK_REVIEW_WEEKS = {"HIGH": 2, "MEDIUM": 8, "LOW": 12}

    assert risk_review_due(HIGH, datetime.date(2026, 3, 3)) == datetime.date(2026, 3, 17)


# --- The default template (data migration 0003) -------------------------------------------------
def test_the_default_template_is_published_version_1_over_every_domain():
    template = AssessmentTemplate.objects.get(version=1)
    indicators = list(template.indicators.all())

    assert template.is_published
    assert 30 <= len(indicators) <= 40
    assert {indicator.domain for indicator in indicators} == set(Domain.values)
    assert template.medium_threshold < template.high_threshold <= sum(i.weight for i in indicators)
    significant = {indicator.code for indicator in indicators if indicator.is_significant}
    assert significant == {
        "disclosed-sexual-exploitation",
        "trap-house-or-cuckooed-address",
        "drugs-or-cash-out-of-area",
    }


def test_the_default_template_gives_sensible_levels():
    template = AssessmentTemplate.objects.prefetch_related("indicators").get(version=1)
    ids = {indicator.code: indicator.pk for indicator in template.indicators.all()}

    def level_of(*codes):
        return score_answers(template, dict.fromkeys((ids[c] for c in codes), PRESENT))[1]

    assert level_of("isolation") == LOW
    assert level_of("missing-from-home-or-care", "older-or-unknown-associates", "owes-a-debt") == (
        MEDIUM
    )
    assert level_of("trap-house-or-cuckooed-address") == HIGH


def _migration():
    return importlib.import_module("risk_assessment.migrations.0003_default_template")


def test_reversing_the_migration_keeps_a_template_an_assessment_uses():
    # given: an assessment made with version 1
    template = AssessmentTemplate.objects.get(version=1)
    AssessmentFactory(template=template)

    # when
    _migration().remove_default_template(django_apps, None)

    # then
    assert AssessmentTemplate.objects.filter(version=1).exists()


def test_reversing_the_migration_removes_an_unused_template_and_applying_it_again_restores_it():
    _migration().remove_default_template(django_apps, None)
    assert not AssessmentTemplate.objects.filter(version=1).exists()

    _migration().create_default_template(django_apps, None)

    assert AssessmentTemplate.objects.get(version=1).indicators.count() == len(
        _migration().INDICATORS
    )
