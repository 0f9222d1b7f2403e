"""A tasking meeting's agenda as a Word document: real headings, numbered items, tables."""

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tasking.documents.agenda_content import AgendaDocument

FONT = "Arial"
MARKING = "OFFICIAL-SENSITIVE"


def _row_flag(row, name: str) -> None:
    """Set a row flag such as w:cantSplit (keep a row on one page) or w:tblHeader (repeat)."""
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _table(doc: DocxDocument, headings: list[str] | None, rows: list[list[str]]) -> None:
    """A grid; with headings, a bold header row repeated on each page. Rows never split."""
    table = doc.add_table(rows=0, cols=len(rows[0]) if rows else len(headings or [1]))
    table.style = "Table Grid"
    if headings:
        cells = table.add_row().cells
        for cell, heading in zip(cells, headings, strict=True):
            cell.paragraphs[0].add_run(heading).bold = True
        _row_flag(table.rows[0], "w:tblHeader")
    for values in rows:
        for index, (cell, value) in enumerate(zip(table.add_row().cells, values, strict=True)):
            if headings is None and index == 0:
                cell.paragraphs[0].add_run(value).bold = True
            else:
                cell.text = value
    for row in table.rows:
        _row_flag(row, "w:cantSplit")
    doc.add_paragraph()


def _styles(doc: DocxDocument) -> None:
    """Arial throughout: headings otherwise follow the theme font."""
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Header", "Footer"):
        style = doc.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    doc.styles["Normal"].font.size = Pt(11)


def _page_number(paragraph) -> None:
    paragraph.add_run("\tPage ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _front(doc: DocxDocument, document: AgendaDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header.paragraphs[0].text = f"{document.council_name}\t\t{MARKING}"
    footer = section.footer.paragraphs[0]
    footer.text = f"{document.group_name}\t"
    _page_number(footer)
    doc.add_paragraph(document.council_name).runs[0].bold = True
    doc.add_paragraph(f"{MARKING}: internal tasking document. Do not share outside the group.")
    doc.add_heading(document.title + (" (draft)" if document.is_draft else ""), level=0)
    details = [
        ["Group", f"{document.group_name} ({document.tier})"],
        ["Date and time", document.when],
        ["Location", document.location],
        ["Chair", document.chair],
        ["Status", document.status],
    ]
    _table(doc, None, details)


def _items(doc: DocxDocument, document: AgendaDocument) -> None:
    doc.add_heading("Agenda", level=1)
    if not document.items:
        doc.add_paragraph("No items.")
    for item in document.items:
        doc.add_heading(f"{item.number}. {item.title}", level=2)
        doc.add_paragraph(f"{item.kind}" + (f". Child: {item.child}" if item.child else ""))
        if document.is_held:
            for part in [p.strip() for p in item.minutes.split("\n") if p.strip()] or [
                "No minutes recorded."
            ]:
                doc.add_paragraph(part)


def agenda_docx(document: AgendaDocument) -> bytes:
    """Render the agenda (with minutes once held) to .docx bytes."""
    doc = Document()
    _styles(doc)
    _front(doc, document)
    if document.is_held:
        doc.add_heading("Attendance", level=1)
        rows = [list(row) for row in document.attendees] or [["Not recorded", ""]]
        _table(doc, ["Name", "Attended"], rows)
    _items(doc, document)
    doc.add_heading("Actions agreed at this meeting", level=1)
    if document.actions:
        rows = [
            [a.about, a.tactic, a.description, a.owner, a.due, a.status] for a in document.actions
        ]
        _table(doc, ["Child", "Tactic", "Action", "Owner", "Due", "Status"], rows)
    else:
        doc.add_paragraph("None.")
    doc.add_paragraph(f"Prepared {document.prepared_on} from CRE Portal.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
