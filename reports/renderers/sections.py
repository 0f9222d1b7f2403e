"""The report's sections, built from the figures: one breakdown per chart and table."""

from collections.abc import Iterable
from typing import Any

from reports.renderers import labels
from reports.renderers.report import (
    Breakdown,
    Report,
    Row,
    Value,
    is_number,
    periods_of,
    show,
)
from tasking.models import Action, Tactic

# The breakdowns drawn as charts: one URL each on screen (tests check this matches).
CHART_NAMES = (
    "referrals-by-type",
    "children-by-sex",
    "children-by-age-band",
    "children-by-ethnicity-group",
    "children-by-exploitation",
    "looked-after-by-legal-status",
    "rhi-timeliness",
    "risk-levels",
    "risk-movement",
)
CHILDREN_COUNTED = "Children with at least one referral in the period, each counted once"


def _get(figures: dict[str, Any], path: Iterable[str]) -> Any:
    value: Any = figures
    for key in path:
        value = value.get(key, 0) if isinstance(value, dict) else 0
    return value


def _row(figures: dict[str, Any], path: tuple[str, ...], label: str, **kwargs: Any) -> Row:
    return Row(label, _get(figures["current"], path), _get(figures["previous"], path), **kwargs)


def spoken(value: Value, *, percent: bool = False) -> str:
    """A value inside a sentence: "fewer than 5" rather than "<5"."""
    if value == labels.SUPPRESSED:
        return "fewer than 5"
    if value == labels.CONFIDENTIAL:
        return "a number not shown"
    return show(value, percent=percent)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def trend(row: Row, noun: str) -> str:
    """ "42 referrals this period, up 5 from 37 in the previous period"."""
    now = f"{spoken(row.current, percent=row.percent)} {noun} this period"
    before = spoken(row.previous, percent=row.percent)
    change = row.change
    if change is None:
        return sentence(f"{now}, compared with {before} in the previous period.")
    if change == 0:
        return sentence(f"{now}, the same as in the previous period.")
    direction = "up" if change > 0 else "down"
    amount = spoken(abs(change), percent=row.percent)
    return sentence(f"{now}, {direction} {amount} from {before} in the previous period.")


def largest_group(rows: tuple[Row, ...], total: Row, noun: str) -> str:
    """ "The largest group was 13 to 15: 18 of 40 children"."""
    numbers = [row for row in rows if is_number(row.current) and row.current]
    if not numbers:
        some = any(row.current == labels.SUPPRESSED for row in rows)
        return f"Every group had fewer than 5 {noun}." if some else f"No {noun} in this period."
    top = max(row.current for row in numbers)  # type: ignore[type-var]
    names = " and ".join(row.label for row in numbers if row.current == top)
    group, verb = ("groups", "were") if " and " in names else ("group", "was")
    # A cell hidden as [c] may be larger than any shown, so only claim the largest shown.
    shown = " shown" if any(row.current == labels.CONFIDENTIAL for row in rows) else ""
    of_total = f"{spoken(top)} of {spoken(total.current)} {noun}"
    return f"The largest {group}{shown} {verb} {names}: {of_total}."


def _distribution(
    figures: dict[str, Any], *, key: str, names: dict[str, str], **kwargs: Any
) -> Breakdown:
    path = ("children", f"by_{key}")
    rows = tuple(_row(figures, (*path, code), label) for code, label in names.items())
    total = _row(figures, ("children", "referred"), "All children referred", charted=False)
    return Breakdown(
        name=f"children-by-{key.replace('_', '-')}",
        unit="Children",
        rows=(*rows, total),
        takeaway=largest_group(rows, total, "children"),
        **kwargs,
    )


def referrals_by_type(figures: dict[str, Any]) -> Breakdown:
    rows = tuple(
        _row(figures, ("referrals", key), label) for key, label in labels.REFERRALS.items()
    )
    total, types = rows[0], rows[1:]
    return Breakdown(
        name="referrals-by-type",
        category="Type of exploitation",
        title="Referrals by type of exploitation",
        counted="Referrals received in the period, by the type of exploitation they raised.",
        unit="Referrals",
        rows=(*types, Row(total.label, total.current, total.previous, charted=False)),
        takeaway=trend(total, "referrals"),
    )


# (key in the figures, first column, labels, title, what the children are counted by)
CHILDREN_BREAKDOWNS = (
    ("sex", "Sex", labels.SEX, "Children referred, by sex", "sex"),
    (
        "age_band",
        "Age",
        labels.AGE_BANDS,
        "Children referred, by age",
        "age on the date of their first referral in the period",
    ),
    (
        "ethnicity_group",
        "Ethnic group",
        labels.ETHNICITY_GROUPS,
        "Children referred, by ethnicity",
        "ethnic group",
    ),
    (
        "exploitation",
        "Type of exploitation",
        labels.EXPLOITATION,
        "Children referred, by type of exploitation",
        "the type of exploitation of all their referrals in the period",
    ),
)


def children_breakdowns(figures: dict[str, Any]) -> tuple[Breakdown, ...]:
    return tuple(
        _distribution(
            figures,
            key=key,
            category=category,
            names=names,
            title=title,
            counted=f"{CHILDREN_COUNTED}, by {by}.",
        )
        for key, category, names, title, by in CHILDREN_BREAKDOWNS
    )


def _legal_status_codes(figures: dict[str, Any]) -> list[str]:
    """Codes with a count in either period, in the order of the 903 code list."""
    present = set()
    for which in ("current", "previous"):
        present |= set(_get(figures[which], ("children", "looked_after_by_legal_status")) or {})
    order = list(labels.LEGAL_STATUS)
    return sorted(present, key=lambda code: order.index(code) if code in order else len(order))


def looked_after(figures: dict[str, Any]) -> Breakdown:
    path = ("children", "looked_after_by_legal_status")
    rows = tuple(
        _row(figures, (*path, code), labels.legal_status_label(code))
        for code in _legal_status_codes(figures)
    )
    children = {
        key: _row(figures, ("children", key), label, charted=False, percent=key.endswith("_pct"))
        for key, label in labels.CHILDREN.items()
    }
    share = children["looked_after_pct"]
    takeaway = sentence(
        f"{spoken(children['looked_after'].current)} of the "
        f"{spoken(children['referred'].current)} children referred were looked after"
        + (f" ({share.current_text})." if is_number(share.current) else ".")
    )
    return Breakdown(
        name="looked-after-by-legal-status",
        category="Legal status",
        title="Looked-after children referred, by legal status",
        counted="Referred children who were looked after when referred, by their legal status; "
        "this includes children placed here by other local authorities.",
        unit="Children",
        rows=(*rows, children["looked_after"], share, children["placed_in"]),
        takeaway=takeaway,
    )


def rhi_timeliness(figures: dict[str, Any]) -> Breakdown:
    charted = ("episodes", "rhi_offered", "rhi_completed", "rhi_within_72h")
    rows = tuple(
        _row(figures, ("missing", key), label, charted=key in charted, percent=key.endswith("_pct"))
        for key, label in labels.MISSING.items()
    )
    by_key = dict(zip(labels.MISSING, rows, strict=True))
    within, episodes = by_key["rhi_within_72h"], by_key["episodes"]
    return Breakdown(
        name="rhi-timeliness",
        category="Measure",
        title="Missing episodes and return home interviews",
        counted="Missing episodes that ended in the period, and the return home interviews "
        "offered and completed after them.",
        unit="Episodes",
        rows=rows,
        takeaway=sentence(
            f"{spoken(within.current)} of {spoken(episodes.current)} missing episodes were "
            f"followed by a return home interview within 72 hours "
            f"({spoken(within.previous)} of {spoken(episodes.previous)} in the previous period)."
        ),
    )


def risk_levels(figures: dict[str, Any]) -> Breakdown:
    rows = tuple(_row(figures, ("risk", code), label) for code, label in labels.RISK_LEVELS.items())
    return Breakdown(
        name="risk-levels",
        category="Risk level",
        title="Children referred, by latest risk level",
        counted="Children referred in the period, by the level of their latest risk assessment "
        "completed by the end of the period. Children not yet assessed are not counted.",
        unit="Children",
        rows=rows,
        takeaway=trend(rows[-1], "children at high risk"),
    )


def risk_movement(figures: dict[str, Any]) -> Breakdown:
    rows = tuple(
        _row(figures, ("risk_movement", key), label) for key, label in labels.RISK_MOVEMENT.items()
    )
    up, down, _same = rows
    return Breakdown(
        name="risk-movement",
        category="Latest level against the one before",
        title="Change in risk level",
        counted="Referred children with two or more completed risk assessments by the end of the "
        "period: their latest level compared with the level before it.",
        unit="Children",
        rows=rows,
        takeaway=sentence(
            f"Risk went down for {spoken(down.current)} children and up for "
            f"{spoken(up.current)} at their latest assessment."
        ),
    )


def _table(figures: dict[str, Any], section: str, names: dict[str, str]) -> tuple[Row, ...]:
    """Rows of a section; a dotted key reaches into a nested dict ("mean_score.helped")."""
    return tuple(
        _row(figures, (section, *key.split(".")), label, charted=False)
        for key, label in names.items()
    )


def _table_only(name: str, title: str, counted: str, rows: tuple[Row, ...]) -> Breakdown:
    return Breakdown(
        name=name,
        category="Measure",
        title=title,
        counted=counted,
        unit="",
        rows=rows,
        takeaway="",
        chart=False,
    )


def tasking_section(figures: dict[str, Any]) -> Breakdown:
    """Tasking activity; covert actions are never counted, so the numbers reveal none."""
    tactics = {f"actions_by_tactic.{t.value}": f"Actions: {t.label}" for t in Tactic}
    statuses = {f"actions_by_status.{s.value}": f"Actions {s.label.lower()}" for s in Action.Status}
    return _table_only(
        "tasking",
        "Multi-agency tasking",
        "Tasking meetings held, subjects of concern recorded and disruption actions agreed in "
        "the period. Covert actions are not included.",
        _table(figures, "tasking", {**labels.TASKING, **tactics, **statuses}),
    )


def table_sections(figures: dict[str, Any]) -> tuple[Breakdown, ...]:
    """NRM, meetings, feedback and tasking: tables without charts."""
    respondents = {
        f"by_respondent.{key}": label for key, label in labels.FEEDBACK_RESPONDENTS.items()
    }
    questions = {f"mean_score.{key}": label for key, label in labels.FEEDBACK_QUESTIONS.items()}
    feedback = {**labels.FEEDBACK, **respondents, **questions}
    return (
        _table_only(
            "nrm",
            "National Referral Mechanism (modern slavery)",
            "Referrals to the NRM made in the period, and the decisions made in the period.",
            _table(figures, "nrm", labels.NRM),
        ),
        _table_only(
            "meetings",
            "Professionals' meetings",
            "Professionals' meetings held in the period, and how many heard the child's views "
            "or were attended by the child and by parents.",
            _table(figures, "meetings", labels.MEETINGS),
        ),
        _table_only(
            "feedback",
            "Feedback from children, parents and carers",
            "Evaluation forms answered in the period. Each rating is the average answer from 1 "
            "(not at all) to 4 (completely).",
            _table(figures, "feedback", feedback),
        ),
        tasking_section(figures),
    )


def breakdowns(figures: dict[str, Any]) -> tuple[Breakdown, ...]:
    """Every section, in the order the report shows them."""
    return (
        referrals_by_type(figures),
        *children_breakdowns(figures),
        looked_after(figures),
        rhi_timeliness(figures),
        risk_levels(figures),
        risk_movement(figures),
        *table_sections(figures),
    )


def summary_rows(figures: dict[str, Any]) -> tuple[Row, ...]:
    """The key figures on the first page."""
    return (
        _row(figures, ("referrals", "total"), "Referrals"),
        _row(figures, ("children", "referred"), "Children referred"),
        _row(
            figures,
            ("children", "looked_after_pct"),
            "Looked after (% of children referred)",
            percent=True,
        ),
        _row(figures, ("children", "placed_in"), "Placed here by another authority"),
        _row(figures, ("missing", "episodes"), "Missing episodes that ended"),
        _row(
            figures,
            ("missing", "rhi_within_72h_pct"),
            "Return home interviews within 72 hours (% of episodes)",
            percent=True,
        ),
        _row(figures, ("risk", "HIGH"), "Children at high risk"),
    )


def build_report(figures: dict[str, Any], *, meta: dict[str, Any]) -> Report:
    """Everything an output shows, from the figures and the run's details."""
    return Report(
        title=meta.get("title") or labels.REPORT_TITLE,
        council_name=meta["council_name"],
        periods=periods_of(figures),
        generated_at=meta["generated_at"],
        exact=bool(meta["exact"]),
        summary=summary_rows(figures),
        breakdowns=breakdowns(figures),
    )
