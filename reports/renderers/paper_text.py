"""The committee paper's editable text: placeholders such as {referrals_total}, filled safely.

Only plain names are allowed inside braces. `str.format` would otherwise follow attributes and
indexes (`{x.__class__}`, `{x[0]}`) or honour a format spec (`{x:>999999999}`), so those are
refused before anything is formatted; an unknown name is left in the text as it was written,
for the author to see and fix.
"""

import re
import string
from typing import Any

from reports.renderers import labels
from reports.renderers.report import Report
from reports.renderers.sections import spoken

NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# Placeholder -> what it stands for, for the template editor's help text.
PLACEHOLDERS: dict[str, str] = {
    "council_name": "The council's name",
    "period": "The report's period, for example 1 April 2025 to 30 September 2025",
    "previous_period": "The period it is compared with",
    "referrals_total": "Referrals in the period",
    "referrals_cce": "Referrals about criminal exploitation",
    "referrals_cse": "Referrals about sexual exploitation",
    "referrals_both": "Referrals about both",
    "previous_referrals_total": "Referrals in the previous period",
    "children_referred": "Children referred",
    "looked_after": "Children referred who were looked after",
    "looked_after_pct": "The percentage of children referred who were looked after",
    "placed_in": "Looked-after children placed here by other local authorities",
    "missing_episodes": "Missing episodes that ended in the period",
    "rhi_within_72h": "Return home interviews within 72 hours",
    "rhi_within_72h_pct": "The percentage of missing episodes with an interview within 72 hours",
    "risk_high": "Children referred at high risk at their latest assessment",
    "risk_medium": "Children referred at medium risk",
    "risk_low": "Children referred at low risk",
    "nrm_referred": "Referrals to the National Referral Mechanism",
    "meetings_held": "Professionals' meetings held",
    "feedback_responses": "Evaluation forms answered",
    "figures_note": "A sentence saying whether small numbers are hidden",
}

# Placeholder -> (section, key) in one period's figures; percentages end in _pct.
FIGURE_PATHS: dict[str, tuple[str, ...]] = {
    "referrals_total": ("referrals", "total"),
    "referrals_cce": ("referrals", "cce"),
    "referrals_cse": ("referrals", "cse"),
    "referrals_both": ("referrals", "both"),
    "children_referred": ("children", "referred"),
    "looked_after": ("children", "looked_after"),
    "looked_after_pct": ("children", "looked_after_pct"),
    "placed_in": ("children", "placed_in"),
    "missing_episodes": ("missing", "episodes"),
    "rhi_within_72h": ("missing", "rhi_within_72h"),
    "rhi_within_72h_pct": ("missing", "rhi_within_72h_pct"),
    "risk_high": ("risk", "HIGH"),
    "risk_medium": ("risk", "MEDIUM"),
    "risk_low": ("risk", "LOW"),
    "nrm_referred": ("nrm", "referred"),
    "meetings_held": ("meetings", "held"),
    "feedback_responses": ("feedback", "responses"),
}


class PlaceholderError(ValueError):
    """The text has a brace that is not a plain {name} placeholder."""


def check_paper_text(text: str) -> None:
    """Raise PlaceholderError unless every placeholder is a plain name such as {period}."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise PlaceholderError(
            "Put a placeholder's name between a pair of braces, like {period}; "
            "to show a brace itself, type it twice: {{ or }}"
        ) from error
    for _text, name, spec, conversion in parsed:
        if name is not None and (not NAME.match(name) or spec or conversion):
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise PlaceholderError(
                f"{shown} is not allowed: a placeholder is only a name in lower case, "
                "like {referrals_total}"
            )


def unknown_placeholders(text: str) -> list[str]:
    """The names in braces that are not placeholders (they would be printed as written)."""
    check_paper_text(text)
    names = [name for _text, name, _spec, _conv in string.Formatter().parse(text) if name]
    return [name for name in dict.fromkeys(names) if name not in PLACEHOLDERS]


class _LeaveUnknown(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_paper_text(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders replaced; unknown ones stay visible as {name}."""
    check_paper_text(text)
    return text.format_map(_LeaveUnknown(values))


def _value(figures: dict[str, Any], path: tuple[str, ...]) -> str:
    value: Any = figures
    for key in path:
        value = value.get(key, 0) if isinstance(value, dict) else 0
    return spoken(value, percent=path[-1].endswith("_pct"))


def paper_values(figures: dict[str, Any], report: Report) -> dict[str, str]:
    """What each placeholder stands for in this report ("fewer than 5" for a hidden count)."""
    current, previous = figures["current"], figures["previous"]
    values = {name: _value(current, path) for name, path in FIGURE_PATHS.items()}
    return values | {
        "council_name": report.council_name,
        "period": report.periods.current,
        "previous_period": report.periods.previous,
        "previous_referrals_total": _value(previous, ("referrals", "total")),
        "figures_note": labels.EXACT_NOTE if report.exact else labels.SUPPRESSION_NOTE,
    }
