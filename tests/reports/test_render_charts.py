"""Charts: an SVG per breakdown, labelled bars, hidden values drawn as such, never as numbers."""

import io
import xml.etree.ElementTree as ET

import pytest
from matplotlib import rc_context
from matplotlib.patches import Rectangle
from PIL import Image

from reports.renderers import render_charts
from reports.renderers.charts import (
    CURRENT_COLOUR,
    PREVIOUS_COLOUR,
    RC,
    SCREEN_WIDTH_INCHES,
    chart_png,
    chart_svg,
    draw,
)
from reports.renderers.report import periods_of
from reports.renderers.sections import CHART_NAMES, breakdowns
from tests.reports.fixtures_figures import empty_figures, exact_figures, public_figures

SVG = "{http://www.w3.org/2000/svg}"


def breakdown(figures: dict, name: str):
    return next(b for b in breakdowns(figures) if b.name == name)


def drawn(figures: dict, name: str):
    """The chart's axes: its value labels (in bar order) and its bars."""
    with rc_context(RC):
        figure = draw(breakdown(figures, name), periods_of(figures), width=SCREEN_WIDTH_INCHES)
    axes = figure.axes[0]
    bars = [patch for patch in axes.patches if isinstance(patch, Rectangle)]
    return [text.get_text() for text in axes.texts], bars


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the app's own SVG, not untrusted input


def svg_texts(svg: bytes) -> list[str]:
    return [element.text or "" for element in parse(svg).iter(f"{SVG}text")]


def test_one_svg_per_chart_each_a_valid_image():
    charts = render_charts(public_figures())

    assert tuple(charts) == CHART_NAMES
    for svg in charts.values():
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        # Reproducible: no creation date.
        assert b"<dc:date>" not in svg


def test_svg_keeps_text_as_text_in_a_readable_font():
    svg = render_charts(public_figures())["referrals-by-type"]

    texts = svg_texts(svg)
    assert "Referrals by type of exploitation" in texts
    assert "This period (Apr to Sep 2025)" in texts
    assert "Previous period (Oct 2024 to Mar 2025)" in texts
    assert b"font-family: 'Arial', 'Liberation Sans', 'DejaVu Sans', sans-serif" in svg


def test_every_bar_is_labelled_with_its_value():
    labels, bars = drawn(exact_figures(), "referrals-by-type")

    # CCE, CSE, both: this period then the previous one; the total is only in the table.
    assert labels == ["29", "22", "13", "11", "5", "5"]
    assert [bar.get_width() for bar in bars] == [29, 22, 13, 11, 5, 5]


def test_suppressed_value_is_an_empty_bar_labelled_fewer_than_five():
    labels, bars = drawn(public_figures(), "children-by-age-band")

    # 0-9, 10-12 (<5 both), 13-15, 16-17, 18+ (<5 both)
    assert labels == ["0", "0", "<5", "<5", "19", "14", "16", "13", "<5", "<5"]
    empty = [bar for bar in bars if not bar.get_fill()]
    assert len(empty) == 4
    assert all(bar.get_width() == 5 and bar.get_linestyle() == "--" for bar in empty)


def test_suppressed_numbers_never_appear_in_the_svg():
    svg = render_charts(public_figures())["children-by-ethnicity-group"]

    texts = svg_texts(svg)
    assert texts.count("<5") == 5  # Asian and not known now; Asian, Black and other before
    # The exact values hidden here are 1, 2 and 3; the axis is labelled 0, 8, 16, 24.
    assert not {"1", "2", "3"} & set(texts)


def test_cell_hidden_to_protect_another_gets_no_bar():
    labels, bars = drawn(public_figures(), "children-by-exploitation")

    assert labels == ["24", "19", "12", "[c]", "5", "<5"]
    # The previous period's CSE bar ([c]) is not drawn: it may be 5 or more.
    assert len(bars) == 5


def test_periods_told_apart_by_colour_and_pattern():
    _labels, bars = drawn(exact_figures(), "risk-levels")

    current, previous = bars[0], bars[1]
    assert current.get_facecolor()[:3] == pytest.approx((0x00 / 255, 0x72 / 255, 0xB2 / 255))
    assert previous.get_hatch() == "///"
    assert previous.get_edgecolor()[:3] == pytest.approx((0xE6 / 255, 0x9F / 255, 0x00 / 255))
    assert (CURRENT_COLOUR, PREVIOUS_COLOUR) == ("#0072B2", "#E69F00")


def test_nothing_to_count_says_so():
    svg = chart_svg(
        breakdown(empty_figures(), "looked-after-by-legal-status"), periods_of(empty_figures())
    )

    assert "Nobody to count in either period" in svg_texts(svg)


def test_png_for_documents_and_slides():
    figures = public_figures()

    png = chart_png(breakdown(figures, "risk-levels"), periods_of(figures), size=(12.3, 4.85),
                    font_size=15, titled=False)  # fmt: skip

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (2460, 970)  # 200 dots per inch
