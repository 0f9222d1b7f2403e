"""The PDF: a real A4 document with the period, the figures, page numbers and the marking."""

import pytest

from reports.renderers import render_pdf
from reports.renderers.pdf import pdf_document
from tests.reports.fixtures_figures import COUNCIL, exact_figures, meta, public_figures


def texts(box) -> list[str]:
    return [child.text for child in box.descendants() if getattr(child, "text", None)]


def margin_boxes(page) -> dict[str, str]:
    return {
        child.at_keyword: " ".join(texts(child))
        for child in page._page_box.children
        if type(child).__name__ == "MarginBox"
    }


def body_text(document) -> str:
    """Every word laid out on the pages, margins left out, as one string."""
    return " ".join(" ".join(texts(page._page_box.children[0])) for page in document.pages)


@pytest.fixture(scope="module")
def public_document():
    return pdf_document(public_figures(), meta=meta(exact=False))


@pytest.fixture(scope="module")
def exact_document():
    return pdf_document(exact_figures(), meta=meta(exact=True))


def test_pdf_is_a_pdf():
    pdf = render_pdf(public_figures(), meta=meta(exact=False))

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_cover_contents_sections_and_definitions(public_document):
    text = body_text(public_document)

    assert len(public_document.pages) >= 8
    cover = " ".join(texts(public_document.pages[0]._page_box.children[0]))
    assert "Child exploitation: Corporate Parenting report" in cover
    assert "1 April 2025 to 30 September 2025" in cover
    assert "Compared with the previous period, 1 October 2024 to 31 March 2025" in cover
    assert "14 October 2025 at 10:30" in cover  # generated, London time
    assert "OFFICIAL" in cover
    for heading in ("Contents", "Key figures", "Children referred, by ethnicity",
                    "Appendix: how the figures are counted"):  # fmt: skip
        assert heading in text


def test_every_page_is_numbered_and_marked_in_arial(public_document):
    pages = len(public_document.pages)

    for number, page in enumerate(public_document.pages, start=1):
        margins = margin_boxes(page)
        assert margins["@bottom-right"] == f"Page {number} of {pages}"
        assert margins["@top-right"] == "OFFICIAL"
        assert margins["@top-left"] == COUNCIL
        assert margins["@bottom-left"] == "1 April 2025 to 30 September 2025"
    box = next(c for c in public_document.pages[1]._page_box.children if hasattr(c, "at_keyword"))
    assert box.style["font_family"][0] == "Arial"


def test_exact_pdf_says_not_for_publication_on_every_page(exact_document):
    for page in exact_document.pages:
        assert "NOT FOR PUBLICATION — exact figures" in margin_boxes(page)["@top-right"]


def test_key_figures_with_comparison(public_document):
    text = body_text(public_document)

    assert "Referrals 47 38 +9" in text
    assert "Looked after (% of children referred) 41.5% 36.4% +5.1 points" in text


def test_suppressed_values_are_printed_as_fewer_than_five(public_document, exact_document):
    public, exact = body_text(public_document), body_text(exact_document)

    assert "Placed here by another authority <5 <5 Not shown" in public
    assert "Placed here by another authority 4 3 +1" in exact
    assert "Placed here by another authority 4" not in public


def test_charts_are_drawn_beside_their_tables(public_document):
    images = [
        box
        for page in public_document.pages
        for box in page._page_box.descendants()
        if type(box).__name__ == "InlineReplacedBox"
    ]

    assert len(images) == 9
    assert all(image.replacement.__class__.__name__ == "SVGImage" for image in images)
