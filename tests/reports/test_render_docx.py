"""The committee paper: the council's sections in order, filled placeholders, real tables."""

import io

import pytest
from docx import Document

from reports.renderers import render_docx
from reports.renderers.paper_defaults import DEFAULT_PAPER_SECTIONS, PAPER_SECTIONS
from reports.renderers.paper_text import PlaceholderError
from reports.renderers.sections import CHART_NAMES
from tests.reports.fixtures_figures import COUNCIL, exact_figures, meta, public_figures


def paper(figures=None, *, exact=False, **sections):
    data = render_docx(
        figures or (exact_figures() if exact else public_figures()),
        meta=meta(exact=exact),
        paper_sections={**DEFAULT_PAPER_SECTIONS, **sections},
    )
    return Document(io.BytesIO(data))


def text(document) -> str:
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def table_rows(document) -> dict[str, list[str]]:
    """Every table row by its first cell (the first such row wins)."""
    rows: dict[str, list[str]] = {}
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            rows.setdefault(cells[0], cells[1:])
    return rows


@pytest.fixture(scope="module")
def public_paper():
    return paper()


def test_sections_in_the_councils_order(public_paper):
    headings = [p.text for p in public_paper.paragraphs if p.style.name == "Heading 1"]

    expected = [f"{n}. {title}" for n, (_key, title) in enumerate(PAPER_SECTIONS, start=1)]
    assert headings == [*expected, "Sign-off"]
    assert [title for _key, title in PAPER_SECTIONS] == [
        "Purpose of the report",
        "Recommendations",
        "Reasons for the recommendations",
        "Supporting information",
        "Public and stakeholder engagement",
        "Other options considered",
        "Financial implications",
        "Legal implications",
        "Climate implications",
        "Other implications",
    ]


def test_names_the_council_and_the_period(public_paper):
    assert COUNCIL in text(public_paper)
    assert "for the period 1 April 2025 to 30 September 2025" in text(public_paper)
    header = public_paper.sections[0].header.paragraphs[0].text
    assert header == f"{COUNCIL}\t\tOFFICIAL"
    assert public_paper.core_properties.title.endswith("1 April 2025 to 30 September 2025")


def test_placeholders_are_filled_from_the_figures(public_paper):
    body = text(public_paper)

    assert "There were 47 referrals about child exploitation in the period (29 about" in body
    assert "compared with 38 in the previous period" in body
    assert "note that 41.5% of the children referred were looked after" in body


def test_hidden_counts_are_written_in_words():
    document = paper(supporting_information="Placed here: {placed_in}.")

    assert "Placed here: fewer than 5." in text(document)


def test_figures_are_real_word_tables(public_paper):
    rows = table_rows(public_paper)

    assert rows["Referrals"] == ["47", "38", "+9"]
    assert rows["Placed here by another authority"] == ["<5", "<5", "Not shown"]
    assert rows["Asian or Asian British"] == ["<5", "<5", "Not shown"]
    assert rows["Period"] == ["1 April 2025 to 30 September 2025"]
    assert rows["Role"] == ["Name", "Date"]
    assert {"Report author", "Director", "Legal", "Finance"} <= rows.keys()


def test_suppressed_numbers_never_appear_in_the_tables(public_paper):
    rows = table_rows(public_paper)

    assert rows["Placed here by another authority"][0] != "4"
    assert all(value not in {"1", "2", "3", "4"} for cells in rows.values() for value in cells)


def test_charts_are_pictures_with_alternative_text(public_paper):
    shapes = public_paper.inline_shapes

    assert len(shapes) == len(CHART_NAMES)
    descriptions = [shape._inline.docPr.get("descr") for shape in shapes]
    assert descriptions[0] == (
        "Bar chart: Referrals by type of exploitation. The figures are in the table below."
    )


def test_exact_paper_says_not_for_publication_on_every_page():
    document = paper(exact=True)

    header = [paragraph.text for paragraph in document.sections[0].header.paragraphs]
    assert header == [f"{COUNCIL}\t\tOFFICIAL", "NOT FOR PUBLICATION — exact figures"]
    assert "NOT FOR PUBLICATION — exact figures" in text(document)
    assert table_rows(document)["Placed here by another authority"] == ["4", "3", "+1"]


def test_unknown_placeholders_stay_visible_for_the_author():
    document = paper(purpose="For {period}, see {appendix_b}.")

    assert "For 1 April 2025 to 30 September 2025, see {appendix_b}." in text(document)


def test_attribute_placeholders_are_refused():
    with pytest.raises(PlaceholderError):
        paper(purpose="{period.__class__}")


def test_bullets_and_paragraphs():
    document = paper(recommendations="The Committee is asked to:\n- note this;\n- agree that.")

    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[:2] == ["note this;", "agree that."]


def test_blank_section_says_none():
    document = paper(climate="  ")

    paragraphs = [p.text for p in document.paragraphs]
    climate = paragraphs.index("9. Climate implications")
    assert paragraphs[climate + 1] == "None."
