"""The report as an Excel workbook: an About sheet, then a sheet per breakdown.

Numbers are stored as numbers (with number formats) so analysts can work with them; "<5" and
"[c]" stay text. Each sheet names the council and period above a bold, frozen header row.
"""

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from reports.renderers import labels
from reports.renderers.report import Report, Row, Value, is_number
from reports.renderers.sections import build_report

# Excel allows 31 characters in a sheet name.
SHEET_NAMES = {
    "referrals-by-type": "Referrals by type",
    "children-by-sex": "Children by sex",
    "children-by-age-band": "Children by age",
    "children-by-ethnicity-group": "Children by ethnicity",
    "children-by-exploitation": "Children by exploitation",
    "looked-after-by-legal-status": "Looked after by legal status",
    "rhi-timeliness": "Missing and RHI",
    "risk-levels": "Risk levels",
    "risk-movement": "Risk movement",
    "nrm": "NRM",
    "meetings": "Meetings",
    "feedback": "Feedback",
}
HEADER_ROW = 6
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "0.0"
COUNT_CHANGE_FORMAT = "+#,##0;-#,##0;0"
DECIMAL_CHANGE_FORMAT = "+0.0;-0.0;0.0"
BOLD = Font(bold=True)
RED_BOLD = Font(bold=True, color="D4351C")
RIGHT = Alignment(horizontal="right")
WRAP = Alignment(wrap_text=True, vertical="top")
SHORT_SUPPRESSION_NOTE = (
    "Counts from 1 to 4 are shown as <5; [c] hides a number that would give one away. "
    "See the About sheet."
)
ABOUT_TEXT_WIDTH = 100  # characters in column B of the About sheet


def _cell(sheet: Worksheet, row: int, column: int, value: Value, *, change: bool = False) -> None:
    """A number with its format, or text (a hidden count, "No answers") aligned like one."""
    cell = sheet.cell(row=row, column=column)
    if is_number(value):
        cell.value = value
        decimal = isinstance(value, float)
        if change:
            cell.number_format = DECIMAL_CHANGE_FORMAT if decimal else COUNT_CHANGE_FORMAT
        else:
            cell.number_format = DECIMAL_FORMAT if decimal else COUNT_FORMAT
    else:
        cell.value = labels.NO_ANSWERS if value is None else str(value)
        cell.alignment = RIGHT


def _heading(sheet: Worksheet, report: Report, *, title: str, counted: str) -> None:
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"{report.council_name}: {report.periods.current}"
    sheet["A3"] = counted
    if report.exact:
        sheet["A4"] = labels.NOT_FOR_PUBLICATION
        sheet["A4"].font = RED_BOLD
    else:
        sheet["A4"] = SHORT_SUPPRESSION_NOTE
    # Printed copies fit the page's width and carry the marking on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.oddHeader.left.text = report.council_name
    sheet.oddHeader.right.text = report.marking
    sheet.oddFooter.left.text = report.periods.current
    sheet.oddFooter.right.text = "Page &P of &N"


def _figures_sheet(
    sheet: Worksheet, report: Report, *, rows: tuple[Row, ...], category: str
) -> None:
    headings = [
        category,
        f"This period ({report.periods.current})",
        f"Previous period ({report.periods.previous})",
        "Change",
    ]
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=heading)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for offset, row in enumerate(rows, start=1):
        line = HEADER_ROW + offset
        sheet.cell(row=line, column=1, value=row.label)
        _cell(sheet, line, 2, row.current)
        _cell(sheet, line, 3, row.previous)
        change = row.change
        _cell(sheet, line, 4, labels.CHANGE_NOT_SHOWN if change is None else change, change=True)
    # The header row and the labels stay in view while scrolling.
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
    for letter, width in zip("ABCD", (48, 24, 24, 14), strict=True):
        sheet.column_dimensions[letter].width = width


def _about(sheet: Worksheet, report: Report) -> None:
    sheet.title = "About"
    _heading(sheet, report, title=report.title, counted="About this workbook")
    details = [
        ("Council", report.council_name),
        ("Period", report.periods.current),
        ("Compared with", report.periods.previous),
        ("Generated", labels.generated_label(report.generated_at)),
        ("Figures", labels.NOT_FOR_PUBLICATION if report.exact else "Small numbers hidden"),
        ("Note", labels.EXACT_NOTE if report.exact else labels.SUPPRESSION_NOTE),
    ]
    for offset, (label, value) in enumerate(details):
        _text_row(sheet, HEADER_ROW + offset, label, value)
    line = HEADER_ROW + len(details) + 1
    sheet.cell(row=line, column=1, value="Definitions").font = Font(bold=True, size=12)
    for offset, (term, text) in enumerate(report.definitions, start=1):
        _text_row(sheet, line + offset, term, text)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = ABOUT_TEXT_WIDTH


def _text_row(sheet: Worksheet, line: int, label: str, text: str) -> None:
    """A label and a wrapped text, the row tall enough for it (spreadsheets do not measure)."""
    sheet.cell(row=line, column=1, value=label).font = BOLD
    sheet.cell(row=line, column=1).alignment = WRAP
    sheet.cell(row=line, column=2, value=text).alignment = WRAP
    lines = -(-len(text) * 11 // (ABOUT_TEXT_WIDTH * 10))  # ceiling, with room for wide letters
    sheet.row_dimensions[line].height = 15 * max(lines, 1)


def render_xlsx(figures: dict[str, Any], *, meta: dict[str, Any]) -> bytes:
    """The report as .xlsx bytes: About, Key figures and one sheet per breakdown."""
    report = build_report(figures, meta=meta)
    workbook = Workbook()
    workbook.properties.title = f"{report.title}, {report.periods.current}"
    workbook.properties.creator = report.council_name
    _about(workbook.active, report)  # type: ignore[arg-type]
    summary = workbook.create_sheet("Key figures")
    _heading(
        summary, report, title="Key figures", counted=f"Compared with {report.periods.previous}."
    )
    _figures_sheet(summary, report, rows=report.summary, category="Measure")
    for breakdown in report.breakdowns:
        sheet = workbook.create_sheet(SHEET_NAMES.get(breakdown.name, breakdown.title[:31]))
        _heading(sheet, report, title=breakdown.title, counted=breakdown.counted)
        _figures_sheet(sheet, report, rows=breakdown.rows, category=breakdown.category)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
