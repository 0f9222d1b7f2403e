"""The committee paper's placeholders: plain names only, unknown ones left visible."""

import pytest

from reports.renderers.paper_defaults import DEFAULT_PAPER_SECTIONS, PAPER_SECTIONS
from reports.renderers.paper_text import (
    PLACEHOLDERS,
    PlaceholderError,
    check_paper_text,
    fill_paper_text,
    paper_values,
    unknown_placeholders,
)
from reports.renderers.sections import build_report
from tests.reports.fixtures_figures import exact_figures, meta, public_figures


def values(figures=None, *, exact=False) -> dict[str, str]:
    figures = figures or (exact_figures() if exact else public_figures())
    return paper_values(figures, build_report(figures, meta=meta(exact=exact)))


def test_fills_known_placeholders():
    filled = fill_paper_text("{referrals_total} referrals in {period}.", values())

    assert filled == "47 referrals in 1 April 2025 to 30 September 2025."


def test_leaves_unknown_placeholders_visible():
    assert fill_paper_text("See {annex} and {period}.", {"period": "Q1"}) == "See {annex} and Q1."


def test_doubled_braces_are_braces():
    assert fill_paper_text("{{period}} is {period}", {"period": "Q1"}) == "{period} is Q1"


@pytest.mark.parametrize(
    "text",
    [
        "{period.__class__}",
        "{period.__class__.__init__.__globals__}",
        "{period[0]}",
        "{0}",
        "{}",
        "{period!r}",
        "{period:>99999999}",
        "{period:{width}}",
        "{Period}",
        "{ period }",
        "a lone { brace",
        "a lone } brace",
    ],
)
def test_anything_but_a_plain_name_is_refused(text):
    with pytest.raises(PlaceholderError):
        fill_paper_text(text, {"period": "Q1", "width": "9"})


def test_refusal_names_the_placeholder():
    with pytest.raises(PlaceholderError, match=r"\{period\.__class__\} is not allowed"):
        check_paper_text("In {period.__class__}")


def test_unknown_placeholders_are_listed_once():
    assert unknown_placeholders("{annex} {period} {annex} {nope}") == ["annex", "nope"]


def test_hidden_counts_in_words_and_percentages_with_a_sign():
    filled = values()

    assert filled["placed_in"] == "fewer than 5"
    assert filled["looked_after_pct"] == "41.5%"
    assert filled["previous_referrals_total"] == "38"
    assert filled["figures_note"].startswith("To protect children's privacy")
    assert values(exact=True)["placed_in"] == "4"
    assert values(exact=True)["figures_note"].startswith("These are exact figures")


def test_every_placeholder_has_a_value_and_every_default_uses_only_placeholders():
    filled = values()

    assert filled.keys() == PLACEHOLDERS.keys()
    for key, _title in PAPER_SECTIONS:
        assert unknown_placeholders(DEFAULT_PAPER_SECTIONS[key]) == []
