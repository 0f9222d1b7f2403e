"""Scoring a CRE risk assessment, its review date, and what changed since the last one.

Pure functions: they read the template and answers they are given and write nothing, so the
assessment service, the offer and the reports all score and compare the same way.
"""

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from referrals.codes import RiskLevel

PRESENT = "PRESENT"
NOT_PRESENT = "NOT_PRESENT"
NOT_KNOWN = "NOT_KNOWN"

LEVEL_RANK = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


def level_for(
    score: int, *, medium_threshold: int, high_threshold: int, significant_present: bool
) -> str:
    """The level a score gives; a significant indicator that is present makes it High."""
    if significant_present or score >= high_threshold:
        return RiskLevel.HIGH
    if score >= medium_threshold:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def score_answers(template: Any, answers: Mapping[Any, str]) -> tuple[int, str]:
    """(score, level) of `answers` (indicator id -> answer) against the template's indicators.

    The score is the sum of the weights of the indicators answered present; not present, not
    known and unanswered count nothing. Uses the template's prefetched indicators when loaded.
    """
    score, significant = 0, False
    for indicator in template.indicators.all():
        if answers.get(indicator.pk) != PRESENT:
            continue
        score += indicator.weight
        significant = significant or indicator.is_significant
    level = level_for(
        score,
        medium_threshold=template.medium_threshold,
        high_threshold=template.high_threshold,
        significant_present=significant,
    )
    return score, level


def rank(level: str) -> int:
    """Low 1, Medium 2, High 3; no level 0."""
    return LEVEL_RANK.get(level, 0)  # type: ignore[call-overload]


def is_lowering(*, computed_level: str, override_level: str) -> bool:
    """Whether professional judgement puts the level below the computed one."""
    return bool(override_level) and rank(override_level) < rank(computed_level)


# --- What changed since the previous assessment -------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Changes:
    """Indicator codes by how they moved, in the order given, and how the level moved."""

    appeared: list[str]  # present now, not before
    cleared: list[str]  # present before, answered not present now
    persisted: list[str]  # present before and now
    # Present before but now not known, not yet answered, or no longer in the template:
    # not counted as cleared, because nobody has said the concern has gone.
    unconfirmed: list[str]
    level_before: str
    level_now: str

    @property
    def direction(self) -> str:
        """ "up", "down" or "same" (also "same" when either level is missing)."""
        before, now = rank(self.level_before), rank(self.level_now)
        if not before or not now or before == now:
            return "same"
        return "up" if now > before else "down"

    @property
    def level_movement(self) -> str:
        """ "Low → High", or just "High" when it did not move."""
        labels = [RiskLevel(level).label for level in (self.level_before, self.level_now) if level]
        if len(labels) == 2 and labels[0] != labels[1]:
            return " → ".join(labels)
        return labels[-1] if labels else "Not yet known"


def _present(answers: Mapping[str, str]) -> list[str]:
    return [code for code, answer in answers.items() if answer == PRESENT]


def what_changed(
    *,
    now: Mapping[str, str],
    before: Mapping[str, str],
    level_now: str,
    level_before: str,
) -> Changes:
    """Compare two assessments' answers (indicator code -> answer), across template versions."""
    present_before = set(_present(before))
    present_now = _present(now)
    gone = [code for code in _present(before) if code not in present_now]
    return Changes(
        appeared=[code for code in present_now if code not in present_before],
        cleared=[code for code in gone if now.get(code) == NOT_PRESENT],
        persisted=[code for code in present_now if code in present_before],
        unconfirmed=[code for code in gone if now.get(code) != NOT_PRESENT],
        level_before=level_before,
        level_now=level_now,
    )


def answers_by_code(answers: Iterable[Any]) -> dict[str, str]:
    """code -> answer from IndicatorAnswer rows (with their indicators loaded), in their order."""
    return {answer.indicator.code: answer.answer for answer in answers}
