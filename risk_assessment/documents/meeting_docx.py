"""A meeting's agenda or minutes as a Word document: real headings and a table of actions."""

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from risk_assessment.documents.meeting_content import ActionRow, MeetingDocument

FONT = "Arial"
# Column widths in cm for the tables with a header row; the page is 16 cm wide inside margins.
WIDTHS = {2: [5.5, 10.5], 3: [6.0, 4.0, 6.0], 4: [7.0, 4.0, 3.0, 2.0]}


def _row_property(row, name: str) -> None:
    """Set a row flag such as w:cantSplit (keep a row on one page) or w:tblHeader (repeat)."""
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _sized(table: Table, widths: list[float]) -> None:
    table.autofit = False
    # Word reads the cell widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        _row_property(row, "w:cantSplit")
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _table(doc: DocxDocument, headings: list[str], rows: list[list[str]]) -> None:
    """A table with a bold header row that repeats on each page; rows never split."""
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
    _row_property(table.rows[0], "w:tblHeader")
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    _sized(table, WIDTHS[len(headings)])
    doc.add_paragraph()


def _key_values(doc: DocxDocument, rows: list[list[str]]) -> None:
    """Label and value pairs, the labels in bold, with no header row."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    _sized(table, [6.0, 10.0])
    doc.add_paragraph()


def _text(doc: DocxDocument, text: str, *, empty: str) -> None:
    paragraphs = [part.strip() for part in text.split("\n") if part.strip()]
    for paragraph in paragraphs or [empty]:
        doc.add_paragraph(paragraph)


def _actions(doc: DocxDocument, actions: list[ActionRow], *, empty: str) -> None:
    if not actions:
        doc.add_paragraph(empty)
        return
    rows = [[a.description, a.owner, a.due, a.status] for a in actions]
    _table(doc, ["Action", "Owner", "Due", "Status"], rows)


def _styles(doc: DocxDocument) -> None:
    """Arial throughout: headings otherwise follow the theme font."""
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Header", "Footer"):
        style = doc.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    doc.styles["Normal"].font.size = Pt(11)
    doc.styles["Title"].font.size = Pt(22)


def _page_number(paragraph) -> None:
    paragraph.add_run("\tPage ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _front(doc: DocxDocument, document: MeetingDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    # The Header and Footer styles have a centre and a right tab stop: two tabs reach the right.
    section.header.paragraphs[0].text = f"{document.council_name}\t\tOFFICIAL-SENSITIVE"
    footer = section.footer.paragraphs[0]
    footer.text = f"Case reference {document.child_ref}\t"
    _page_number(footer)
    doc.add_paragraph(document.council_name).runs[0].bold = True
    doc.add_heading(document.title, level=0)
    details = [
        ["Child", document.child_name],
        ["Case reference", document.child_ref],
        ["Date and time", document.when],
        ["Location", document.location],
        ["Chair", document.chair],
        ["Risk level when booked", document.risk_level],
        ["Status", document.status],
        *[[label, value] for label, value in document.invitations],
    ]
    _key_values(doc, details)
    doc.add_heading("Attendees", level=1)
    minutes = document.kind == "minutes"
    headings = ["Name", "Role and agency", *(["Attended"] if minutes else [])]
    rows = [[a.name, a.role, *([a.attended] if minutes else [])] for a in document.attendees]
    _table(doc, headings, rows)
    doc.add_heading("Agenda", level=1)
    for item in document.agenda:
        doc.add_paragraph(item, style="List Number")


def _summary(doc: DocxDocument, document: MeetingDocument) -> None:
    doc.add_heading("Risk assessment summary", level=1)
    summary = document.assessment
    if summary is None:
        doc.add_paragraph("No approved risk assessment is linked to this meeting.")
    else:
        rows = [["Level", summary.level], ["Score", summary.score]]
        if summary.completed:
            rows.append(["Approved assessment of", summary.completed])
        _key_values(doc, rows)
        doc.add_heading("What has changed since the previous assessment", level=2)
        for change in summary.changes or ["This is the child's first approved assessment."]:
            doc.add_paragraph(change, style="List Bullet")
    if document.offer:
        doc.add_heading("CRE Offer progress", level=1)
        _table(doc, ["Support", "Status", "Provider"], [list(row) for row in document.offer])


def _views(doc: DocxDocument, document: MeetingDocument) -> None:
    doc.add_heading("The child's views", level=1)
    if document.kind == "agenda":
        doc.add_paragraph(
            "The child's views are heard at or for every meeting. If they cannot be obtained, "
            "the meeting records why."
        )
        return
    recorded = document.child_views or document.child_views_not_obtained
    _text(doc, document.child_views, empty="" if recorded else "Not recorded.")
    if document.child_views_not_obtained:
        doc.add_heading("Why the child's views could not be obtained", level=2)
        _text(doc, document.child_views_not_obtained, empty="")


def meeting_docx(document: MeetingDocument) -> bytes:
    """Render the agenda or minutes to .docx bytes."""
    doc = Document()
    _styles(doc)
    _front(doc, document)
    _views(doc, document)
    _summary(doc, document)
    if document.kind == "minutes":
        doc.add_heading("Decisions", level=1)
        _text(doc, document.decisions, empty="None recorded.")
        doc.add_heading("Minutes", level=1)
        _text(doc, document.minutes, empty="None recorded.")
        doc.add_heading("Actions", level=1)
        _actions(doc, document.actions, empty="No actions were agreed.")
    else:
        doc.add_heading("Open actions from earlier meetings", level=1)
        _actions(doc, document.earlier_actions, empty="None.")
    doc.add_heading("Date of the next meeting", level=1)
    doc.add_paragraph(document.next_meeting)
    doc.add_paragraph(f"Prepared {document.prepared_on} from CRE Portal.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
