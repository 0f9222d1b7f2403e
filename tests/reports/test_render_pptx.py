"""The slide deck: title, a slide per chart with its takeaway, summary; every slide marked."""

import io

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from reports.renderers import render_pptx
from reports.renderers.sections import CHART_NAMES
from tests.reports.fixtures_figures import COUNCIL, exact_figures, meta, public_figures

PERIOD = "1 April 2025 to 30 September 2025"


def deck(*, exact: bool):
    figures = exact_figures() if exact else public_figures()
    return Presentation(io.BytesIO(render_pptx(figures, meta=meta(exact=exact))))


def slide_text(slide) -> str:
    parts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    for shape in slide.shapes:
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def public():
    return deck(exact=False)


def test_title_then_a_slide_per_chart_then_summary(public):
    titles = [slide.shapes.title.text for slide in public.slides]

    assert len(titles) == 1 + len(CHART_NAMES) + 1
    assert titles[0] == "Child exploitation: Corporate Parenting report"
    assert titles[1] == "Referrals by type of exploitation"
    assert titles[-1] == "Summary: key figures"
    assert (public.slide_width, public.slide_height) == (Inches(13.333), Inches(7.5))


def test_every_slide_names_the_council_and_period_and_is_marked(public):
    for slide in public.slides:
        text = slide_text(slide)
        assert f"{COUNCIL}: {PERIOD}" in text
        assert "OFFICIAL" in text
        assert "NOT FOR PUBLICATION" not in text


def test_exact_deck_says_not_for_publication_on_every_slide():
    for slide in deck(exact=True).slides:
        assert "OFFICIAL — NOT FOR PUBLICATION — exact figures" in slide_text(slide)


def test_chart_slides_carry_the_chart_and_a_one_line_takeaway(public):
    slide = public.slides[1]

    pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert pictures[0].image.content_type == "image/png"
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr").startswith("Bar chart: Referrals")
    assert "47 referrals this period, up 9 from 38 in the previous period." in slide_text(slide)


def test_summary_slide_has_the_key_figures_with_hidden_counts(public):
    table = next(shape.table for shape in public.slides[-1].shapes if shape.has_table)
    rows = {row.cells[0].text: [cell.text for cell in row.cells][1:] for row in table.rows}

    assert rows["Referrals"] == ["47", "38", "+9"]
    assert rows["Placed here by another authority"] == ["<5", "<5", "Not shown"]
