"""The report every output draws: rows, changes, takeaways and hidden values."""

import pytest

from reports.renderers.report import Row, show
from reports.renderers.sections import CHART_NAMES, breakdowns, build_report, summary_rows
from tests.reports.fixtures_figures import empty_figures, exact_figures, meta, public_figures


def by_name(figures: dict) -> dict:
    return {breakdown.name: breakdown for breakdown in breakdowns(figures)}


def rows(figures: dict, name: str) -> dict[str, Row]:
    return {row.label: row for row in by_name(figures)[name].rows}


@pytest.mark.parametrize(
    ("row", "change", "text"),
    [
        (Row("Referrals", 47, 38), 9, "+9"),
        (Row("Referrals", 30, 38), -8, "\N{MINUS SIGN}8"),
        (Row("Referrals", 1200, 1200), 0, "No change"),
        (Row("Looked after", 41.5, 36.4, percent=True), 5.1, "+5.1 points"),
        (Row("Looked after", 36.4, 41.5, percent=True), -5.1, "\N{MINUS SIGN}5.1 points"),
        (Row("Average", 3.4, 3.1), 0.3, "+0.3"),
        (Row("Placed in", "<5", 7), None, "Not shown"),
        (Row("Placed in", 7, "<5"), None, "Not shown"),
        (Row("Exploitation", 12, "[c]"), None, "Not shown"),
        (Row("Average", None, 3.0), None, "Not shown"),
    ],
)
def test_change_is_worked_out_only_from_two_numbers(row, change, text):
    assert row.change == change
    assert row.change_text == text


@pytest.mark.parametrize(
    ("value", "percent", "shown"),
    [(1234, False, "1,234"), (41.5, True, "41.5%"), (46.0, True, "46.0%"), ("<5", True, "<5"),
     ("[c]", False, "[c]"), (None, False, "No answers"), (0, False, "0")],
)  # fmt: skip
def test_values_are_shown_as_printed(value, percent, shown):
    assert show(value, percent=percent) == shown


def test_every_chart_has_a_route():
    charted = [b.name for b in breakdowns(exact_figures()) if b.chart]

    assert tuple(charted) == CHART_NAMES


def test_breakdowns_carry_this_and_the_previous_period():
    sex = rows(exact_figures(), "children-by-sex")

    assert (sex["Male"].current, sex["Male"].previous) == (27, 20)
    assert (sex["All children referred"].current, sex["All children referred"].previous) == (41, 33)
    assert not sex["All children referred"].charted


def test_suppressed_values_stay_suppressed():
    ethnicity = rows(public_figures(), "children-by-ethnicity-group")

    assert ethnicity["Asian or Asian British"].current_text == "<5"
    assert ethnicity["Asian or Asian British"].change_text == "Not shown"


def test_legal_statuses_of_either_period_appear_in_code_list_order():
    figures = exact_figures()
    figures["previous"]["children"]["looked_after_by_legal_status"] = {"V2": 5, "E1": 7}

    legal = rows(figures, "looked-after-by-legal-status")

    statuses = [label for label, row in legal.items() if row.charted]
    assert [label[:2] for label in statuses] == ["C1", "C2", "E1", "V2", "J1"]
    assert (legal["C1 Interim care order"].previous, legal["E1 Placement order"].current) == (0, 0)


def test_takeaways_say_what_changed():
    sections = by_name(public_figures())

    assert sections["referrals-by-type"].takeaway == (
        "47 referrals this period, up 9 from 38 in the previous period."
    )
    assert sections["children-by-age-band"].takeaway == (
        "The largest group was 13 to 15: 19 of 41 children."
    )
    assert sections["rhi-timeliness"].takeaway.startswith("29 of 63 missing episodes")
    assert sections["looked-after-by-legal-status"].takeaway == (
        "17 of the 41 children referred were looked after (41.5%)."
    )


def test_takeaway_never_claims_a_largest_group_a_hidden_cell_may_beat():
    figures = public_figures()
    figures["current"]["children"]["by_exploitation"] = {"CCE": 12, "CSE": "[c]", "BOTH": "<5"}

    takeaway = by_name(figures)["children-by-exploitation"].takeaway

    assert takeaway.startswith("The largest group shown was Criminal exploitation (CCE): 12 of")


def test_takeaways_speak_of_hidden_counts_in_words():
    figures = public_figures()
    figures["current"]["children"]["looked_after"] = "<5"
    figures["current"]["children"]["looked_after_pct"] = "<5"

    takeaway = by_name(figures)["looked-after-by-legal-status"].takeaway

    assert takeaway == "Fewer than 5 of the 41 children referred were looked after."


def test_an_empty_period_has_every_section_at_zero():
    sections = by_name(empty_figures())

    assert sections["referrals-by-type"].takeaway == (
        "0 referrals this period, the same as in the previous period."
    )
    assert sections["children-by-sex"].takeaway == "No children in this period."
    assert not sections["looked-after-by-legal-status"].chart_rows
    feedback = {row.label: row for row in sections["feedback"].rows}
    assert feedback["Average rating: the meeting helped"].current_text == "No answers"


def test_summary_has_the_key_figures():
    summary = {row.label: row for row in summary_rows(public_figures())}

    assert summary["Referrals"].change_text == "+9"
    assert summary["Placed here by another authority"].current_text == "<5"
    assert summary["Looked after (% of children referred)"].current_text == "41.5%"


def test_report_names_its_periods_and_marking():
    report = build_report(exact_figures(), meta=meta(exact=True))

    assert report.periods.current == "1 April 2025 to 30 September 2025"
    assert report.periods.previous == "1 October 2024 to 31 March 2025"
    assert (report.periods.current_short, report.periods.previous_short) == (
        "Apr to Sep 2025",
        "Oct 2024 to Mar 2025",
    )
    assert report.marking == "OFFICIAL — NOT FOR PUBLICATION — exact figures"
    assert build_report(exact_figures(), meta=meta(exact=False)).marking == "OFFICIAL"
