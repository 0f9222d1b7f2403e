"""The public version of the report figures: small numbers hidden so no child can be picked out.

- Primary: every count from 1 to 4 becomes "<5" (zero is shown: it reveals nobody).
- Derived figures: a percentage whose numerator or denominator is 1 to 4, and a mean of fewer
  than 5 answers, become "<5" too.
- Secondary: where a breakdown adds up to a published total and exactly one of its cells was
  hidden, the total minus the other cells would give it away, so the next smallest non-zero cell
  is hidden as well. That cell may be 5 or more, so it is shown as "[c]" (the statistical
  convention for "confidential"), not "<5", which would be untrue.
"""

import copy
from typing import Any

SMALL = "<5"
SECONDARY = "[c]"
SMALL_COUNTS = range(1, 5)

Path = tuple[str, ...]

# (where the cells are, which of its keys are the cells (None: all), the total they add up to).
BREAKDOWNS: tuple[tuple[Path, tuple[str, ...] | None, Path], ...] = (
    (("referrals",), ("cce", "cse", "both"), ("referrals", "total")),
    (("children", "by_sex"), None, ("children", "referred")),
    (("children", "by_age_band"), None, ("children", "referred")),
    (("children", "by_ethnicity_group"), None, ("children", "referred")),
    (("children", "by_exploitation"), None, ("children", "referred")),
    (("children", "looked_after_by_legal_status"), None, ("children", "looked_after")),
    (("feedback", "by_respondent"), None, ("feedback", "responses")),
    (("tasking", "actions_by_tactic"), None, ("tasking", "immediate_actions")),
    (("tasking", "actions_by_status"), None, ("tasking", "immediate_actions")),
)
# Each percentage with the count it is a share of and the count it is taken over.
PERCENTAGES: dict[Path, tuple[Path, Path]] = {
    ("children", "looked_after_pct"): (("children", "looked_after"), ("children", "referred")),
    ("missing", "rhi_within_72h_pct"): (("missing", "rhi_within_72h"), ("missing", "episodes")),
}
# Each set of means with the number of answers it is taken over.
MEANS: dict[Path, Path] = {("feedback", "mean_score"): ("feedback", "responses")}
# Dates and labels, never counts.
NOT_COUNTED = {"period"}


def _get(figures: dict[str, Any], path: Path) -> Any:
    value: Any = figures
    for key in path:
        value = value[key]
    return value


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hide_small_counts(section: dict[str, Any]) -> None:
    for key, value in section.items():
        if isinstance(value, dict):
            _hide_small_counts(value)
        elif _is_count(value) and value in SMALL_COUNTS:
            section[key] = SMALL


def _protect_breakdown(
    cells: dict[str, Any], exact_cells: dict[str, int], keys: tuple[str, ...] | None
) -> None:
    """Hide the next smallest non-zero cell when exactly one cell of a breakdown is hidden."""
    keys = keys or tuple(exact_cells)
    hidden = [key for key in keys if cells[key] == SMALL]
    if len(hidden) != 1:
        return
    # None shown when the total is itself below 5: then every non-zero cell is hidden already.
    shown = [key for key in keys if key not in hidden and exact_cells[key]]
    if shown:
        # Ties go to the first cell in the breakdown's order, so the output is stable.
        cells[min(shown, key=lambda key: exact_cells[key])] = SECONDARY


def _small(exact: dict[str, Any], path: Path) -> bool:
    return _get(exact, path) in SMALL_COUNTS


def suppress(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures as they may be published: a new dict, the exact figures are left as they are."""
    public = copy.deepcopy(figures)
    for name, section in public.items():
        if name not in NOT_COUNTED and isinstance(section, dict):
            _hide_small_counts(section)
    # The totals aren't needed here: a breakdown adds up to its total (tests check it).
    for where, keys, _total in BREAKDOWNS:
        _protect_breakdown(_get(public, where), _get(figures, where), keys)
    for (section, key), (numerator, denominator) in PERCENTAGES.items():
        if _small(figures, numerator) or _small(figures, denominator):
            public[section][key] = SMALL
    for (section, key), answers in MEANS.items():
        if _small(figures, answers):
            public[section][key] = dict.fromkeys(public[section][key], SMALL)
    return public
