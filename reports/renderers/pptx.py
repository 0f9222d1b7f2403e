"""The charts as a slide deck for the committee's separate presentation (16:9).

A title slide, one slide per chart with its one-line takeaway, and a summary slide of the key
figures. Every slide has a real title (for screen readers) and a footer naming the council,
the period and the marking.
"""

import io
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as PptxPresentation
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from reports.renderers import labels
from reports.renderers.charts import chart_png
from reports.renderers.report import Breakdown, Report
from reports.renderers.sections import build_report

FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
RED = RGBColor(0xD4, 0x35, 0x1C)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TITLE_ONLY, TITLE_SLIDE = 5, 0  # layouts of python-pptx's default template
PICTURE_TOP = Inches(2.0)
# Drawn at the size shown, in type large enough to read from the back of a committee room.
CHART_SIZE_INCHES = (12.3, 4.85)
CHART_FONT_SIZE = 15


def _style(text_frame: Any, *, size: int, bold: bool = False, colour: RGBColor = BLACK) -> None:
    for paragraph in text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.name, run.font.size, run.font.bold = FONT, Pt(size), bold
            run.font.color.rgb = colour


def _text(
    slide: Slide,
    text: str,
    *,
    box: tuple[int, int, int, int],
    align: PP_ALIGN = PP_ALIGN.LEFT,
    **style: Any,
) -> None:
    frame = slide.shapes.add_textbox(*(Emu(value) for value in box)).text_frame
    frame.word_wrap = True
    frame.text = text
    for paragraph in frame.paragraphs:
        paragraph.alignment = align
    _style(frame, **style)


def _title(slide: Slide, text: str, *, top: int = Inches(0.3), height: int = Inches(0.9)) -> None:
    """Fill the layout's title placeholder, moved to the 16:9 width."""
    title: Any = slide.shapes.title  # both layouts used have a title placeholder
    title.left, title.top, title.width, title.height = MARGIN, top, WIDTH - 2 * MARGIN, height
    title.text = text
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    _style(title.text_frame, size=30, bold=True)


def _footer(slide: Slide, report: Report) -> None:
    width = (WIDTH - 2 * MARGIN) // 2
    top, height = Inches(6.95), Inches(0.4)
    footer = f"{report.council_name}: {report.periods.current}"
    _text(slide, footer, box=(MARGIN, top, width, height), size=12, colour=GREY)
    colour = RED if report.exact else BLACK
    _text(
        slide,
        report.marking,
        box=(MARGIN + width, top, width, height),
        size=12,
        bold=True,
        colour=colour,
        align=PP_ALIGN.RIGHT,
    )


def _title_slide(deck: PptxPresentation, report: Report) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    _title(slide, report.title, top=Inches(1.6), height=Inches(1.5))
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top = MARGIN, Inches(3.3)
    subtitle.width, subtitle.height = WIDTH - 2 * MARGIN, Inches(2.6)
    lines = [
        report.council_name,
        report.periods.current,
        f"Compared with {report.periods.previous}",
        f"Generated {labels.generated_label(report.generated_at)}",
    ]
    if report.exact:
        box = (MARGIN, Inches(0.6), WIDTH - 2 * MARGIN, Inches(0.7))
        _text(slide, labels.NOT_FOR_PUBLICATION, box=box, size=24, bold=True, colour=RED)
    subtitle.text = "\n".join(lines)
    for paragraph in subtitle.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    _style(subtitle.text_frame, size=20, colour=GREY)
    _footer(slide, report)


def _chart_slide(deck: PptxPresentation, report: Report, breakdown: Breakdown) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    _title(slide, breakdown.title)
    box = (MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, Inches(0.7))
    _text(slide, breakdown.takeaway, box=box, size=20)
    png = chart_png(
        breakdown, report.periods, size=CHART_SIZE_INCHES, font_size=CHART_FONT_SIZE, titled=False
    )
    # The slide's title names the chart, so the picture leaves its own out.
    picture = slide.shapes.add_picture(io.BytesIO(png), MARGIN, PICTURE_TOP)
    picture.width, picture.height = Inches(CHART_SIZE_INCHES[0]), Inches(CHART_SIZE_INCHES[1])
    picture._element.nvPicPr.cNvPr.set(
        "descr", f"Bar chart: {breakdown.title}. {breakdown.takeaway}"
    )
    _footer(slide, report)


def _table(slide: Slide, header: list[str], rows: list[list[str]]) -> None:
    """A table of text, numbers right-aligned, in type that reads from across a room."""
    width, height = Emu(WIDTH - 2 * MARGIN), Emu(Inches(0.5) * (len(rows) + 1))
    table = slide.shapes.add_table(len(rows) + 1, 4, MARGIN, Inches(1.4), width, height).table
    for column, column_width in enumerate((Inches(5.8), Inches(2.3), Inches(2.3), Inches(1.9))):
        table.columns[column].width = column_width
    for row_index, values in enumerate([header, *rows]):
        for column, value in enumerate(values):
            cell = table.cell(row_index, column)
            cell.text = value
            if column:
                cell.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
            colour = WHITE if row_index == 0 else BLACK
            _style(cell.text_frame, size=16, bold=row_index == 0, colour=colour)


def _summary_slide(deck: PptxPresentation, report: Report) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    _title(slide, "Summary: key figures")
    periods = report.periods
    header = [
        "Measure",
        f"This period ({periods.current_short})",
        f"Previous period ({periods.previous_short})",
        "Change",
    ]
    rows = [[r.label, r.current_text, r.previous_text, r.change_text] for r in report.summary]
    _table(slide, header, rows)
    note = labels.EXACT_NOTE if report.exact else labels.SUPPRESSION_NOTE
    box = (MARGIN, Inches(6.0), WIDTH - 2 * MARGIN, Inches(0.8))
    _text(slide, note, box=box, size=12, colour=GREY)
    _footer(slide, report)


def render_pptx(figures: dict[str, Any], *, meta: dict[str, Any]) -> bytes:
    """The slide deck (.pptx bytes): title, a slide per chart, summary."""
    report = build_report(figures, meta=meta)
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = f"{report.title}, {report.periods.current}"
    deck.core_properties.author = report.council_name
    _title_slide(deck, report)
    for breakdown in report.charts:
        _chart_slide(deck, report, breakdown)
    _summary_slide(deck, report)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
