"""The committee paper as a Word document, in the council's usual sections.

The wording of each section comes from the editable templates (`paper_sections`, defaults in
paper_defaults.py); the supporting information carries the figures as real Word tables and
the charts as PNG pictures with alternative text.
"""

import io
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Row

from reports.renderers import labels
from reports.renderers.charts import chart_png
from reports.renderers.paper_defaults import DEFAULT_PAPER_SECTIONS, PAPER_SECTIONS, SIGN_OFF_ROLES
from reports.renderers.paper_text import fill_paper_text, paper_values
from reports.renderers.report import Breakdown, Report, Row
from reports.renderers.sections import build_report

FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
RED = RGBColor(0xD4, 0x35, 0x1C)
CHART_WIDTH_INCHES = 6.0
FIGURE_WIDTHS = (7.0, 3.0, 3.0, 3.0)  # cm, 16 cm inside the margins
SIGN_OFF_WIDTHS = (5.0, 7.0, 4.0)


def _styles(doc: DocxDocument) -> None:
    """Arial throughout (headings otherwise follow the theme font), in near-black."""
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Header", "Footer"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.color.rgb = BLACK
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    doc.styles["Normal"].font.size = Pt(11)
    doc.styles["Title"].font.size = Pt(24)


def _field(paragraph: Any, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    paragraph._p.append(field)


def _page(doc: DocxDocument, report: Report) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    # The Header and Footer styles have a centre and a right tab stop: two tabs reach the right.
    header = section.header.paragraphs[0]
    header.text = f"{report.council_name}\t\t"
    header.add_run(labels.SECURITY_MARKING).bold = True
    if report.exact:
        # Its own line: beside the council's name it would wrap.
        warning = section.header.add_paragraph().add_run(labels.NOT_FOR_PUBLICATION)
        warning.bold, warning.font.color.rgb = True, RED
    footer = section.footer.paragraphs[0]
    footer.text = f"{report.periods.current}\t\tPage "
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _row_flag(row: _Row, name: str) -> None:
    """A row property such as w:tblHeader (repeat on each page) or w:cantSplit."""
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _table(
    doc: DocxDocument,
    rows: list[list[str]],
    widths: tuple[float, ...],
    *,
    headings: list[str] | None = None,
    numeric: bool = False,
) -> Table:
    """A grid, with a bold header row repeated on each page; numbers right-aligned."""
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    if headings:
        header = table.add_row()
        for cell, heading in zip(header.cells, headings, strict=True):
            cell.paragraphs[0].add_run(heading).bold = True
        _row_flag(header, "w:tblHeader")
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    for row in table.rows:
        _row_flag(row, "w:cantSplit")
        # Word reads the cell widths, LibreOffice the columns': set both.
        for index, (cell, width) in enumerate(zip(row.cells, widths, strict=True)):
            cell.width = Cm(width)
            if numeric and index:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    return table


def _figures(doc: DocxDocument, rows: tuple[Row, ...], *, category: str, report: Report) -> None:
    periods = report.periods
    headings = [
        category,
        f"This period ({periods.current_short})",
        f"Previous period ({periods.previous_short})",
        "Change",
    ]
    values = [[r.label, r.current_text, r.previous_text, r.change_text] for r in rows]
    _table(doc, values, FIGURE_WIDTHS, headings=headings, numeric=True)
    doc.add_paragraph()


def _text(doc: DocxDocument, text: str) -> None:
    """Paragraphs split on blank lines; a line starting "- " is a bullet."""
    for block in text.replace("\r\n", "\n").split("\n\n"):
        for line in (line.strip() for line in block.split("\n")):
            if line.startswith(("- ", "* ")):
                doc.add_paragraph(line[2:].strip(), style="List Bullet")
            elif line:
                doc.add_paragraph(line)


def _cover(doc: DocxDocument, report: Report) -> None:
    doc.add_paragraph(report.council_name).runs[0].bold = True
    if report.exact:
        banner = doc.add_paragraph().add_run(labels.NOT_FOR_PUBLICATION)
        banner.bold, banner.font.size, banner.font.color.rgb = True, Pt(14), RED
    doc.add_heading(report.title, level=0)
    classification = labels.NOT_FOR_PUBLICATION if report.exact else "Public"
    details = [
        ["Period", report.periods.current],
        ["Compared with", report.periods.previous],
        ["Generated", labels.generated_label(report.generated_at)],
        ["Classification", f"{labels.SECURITY_MARKING}: {classification}"],
    ]
    table = _table(doc, details, (5.0, 11.0))
    for row in table.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True
    doc.add_paragraph()


def _breakdown(doc: DocxDocument, breakdown: Breakdown, report: Report) -> None:
    doc.add_heading(breakdown.title, level=3)
    # Keep the introduction, the takeaway and the chart on the page of the table they lead to.
    if breakdown.counted:
        doc.add_paragraph(breakdown.counted).paragraph_format.keep_with_next = True
    if breakdown.takeaway:
        takeaway = doc.add_paragraph()
        takeaway.add_run(breakdown.takeaway).bold = True
        takeaway.paragraph_format.keep_with_next = True
    if breakdown.chart:
        png = chart_png(breakdown, report.periods, size=(CHART_WIDTH_INCHES, None))
        shape = doc.add_picture(io.BytesIO(png), width=Cm(15))
        shape._inline.docPr.set(
            "descr", f"Bar chart: {breakdown.title}. The figures are in the table below."
        )
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _figures(doc, breakdown.rows, category=breakdown.category, report=report)


def _supporting_figures(doc: DocxDocument, report: Report) -> None:
    doc.add_heading("Key figures", level=3)
    _figures(doc, report.summary, category="Measure", report=report)
    for breakdown in report.breakdowns:
        _breakdown(doc, breakdown, report)
    doc.add_heading("How the figures are counted", level=3)
    for term, text in report.definitions:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{term}. ").bold = True
        paragraph.add_run(text)


def _sign_off(doc: DocxDocument) -> None:
    doc.add_heading("Sign-off", level=1)
    rows = [[role, "", ""] for role in SIGN_OFF_ROLES]
    _table(doc, rows, SIGN_OFF_WIDTHS, headings=["Role", "Name", "Date"])


def render_docx(
    figures: dict[str, Any], *, meta: dict[str, Any], paper_sections: dict[str, str]
) -> bytes:
    """The committee paper (.docx bytes): each section's text with its placeholders filled."""
    report = build_report(figures, meta=meta)
    values = paper_values(figures, report)
    doc = Document()
    _styles(doc)
    _page(doc, report)
    doc.core_properties.title = f"{report.title}, {report.periods.current}"
    doc.core_properties.author = report.council_name
    _cover(doc, report)
    for number, (key, heading) in enumerate(PAPER_SECTIONS, start=1):
        doc.add_heading(f"{number}. {heading}", level=1)
        text = paper_sections.get(key, DEFAULT_PAPER_SECTIONS[key]).strip()
        # A section left blank says so rather than leaving its heading hanging.
        _text(doc, fill_paper_text(text, values) if text else "None.")
        if key == "supporting_information":
            _supporting_figures(doc, report)
    _sign_off(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
