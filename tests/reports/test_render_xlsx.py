"""The workbook: About first, a sheet per breakdown, numbers as numbers, hidden counts as text."""

import io

import pytest
from openpyxl import load_workbook

from reports.renderers import render_xlsx
from reports.renderers.xlsx import HEADER_ROW
from tests.reports.fixtures_figures import COUNCIL, exact_figures, meta, public_figures

PERIOD = "1 April 2025 to 30 September 2025"


def workbook(*, exact: bool):
    figures = exact_figures() if exact else public_figures()
    return load_workbook(io.BytesIO(render_xlsx(figures, meta=meta(exact=exact))))


def rows(sheet) -> dict[str, list]:
    return {
        row[0]: list(row[1:4])
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=4, values_only=True)
        if row[0]
    }


@pytest.fixture(scope="module")
def public():
    return workbook(exact=False)


@pytest.fixture(scope="module")
def exact():
    return workbook(exact=True)


def test_sheets(public):
    assert public.sheetnames == [
        "About",
        "Key figures",
        "Referrals by type",
        "Children by sex",
        "Children by age",
        "Children by ethnicity",
        "Children by exploitation",
        "Looked after by legal status",
        "Missing and RHI",
        "Risk levels",
        "Risk movement",
        "NRM",
        "Meetings",
        "Feedback",
        "Multi-agency tasking",
    ]


def test_every_sheet_names_the_council_and_period_and_is_marked(public):
    for sheet in public.worksheets:
        assert sheet["A2"].value == f"{COUNCIL}: {PERIOD}"
        assert sheet.oddHeader.right.text == "OFFICIAL"
        assert sheet.oddFooter.left.text == PERIOD


def test_exact_workbook_says_not_for_publication_on_every_sheet(exact):
    for sheet in exact.worksheets:
        assert sheet["A4"].value == "NOT FOR PUBLICATION — exact figures"
        assert "NOT FOR PUBLICATION" in sheet.oddHeader.right.text


def test_about_sheet(public, exact):
    about = {row[0]: row[1] for row in public["About"].iter_rows(values_only=True) if row[0]}

    assert about["Period"] == PERIOD
    assert about["Compared with"] == "1 October 2024 to 31 March 2025"
    assert about["Generated"] == "14 October 2025 at 10:30"
    assert about["Figures"] == "Small numbers hidden"
    assert about["Referrals"].startswith("A referral is counted in the period when")
    exact_about = {row[0]: row[1] for row in exact["About"].iter_rows(values_only=True) if row[0]}
    assert exact_about["Figures"] == "NOT FOR PUBLICATION — exact figures"


def test_header_row_is_bold_and_frozen_and_columns_are_sized(public):
    for sheet in public.worksheets[1:]:
        header = list(sheet[HEADER_ROW][:4])
        assert [cell.value for cell in header][1:] == [
            f"This period ({PERIOD})",
            "Previous period (1 October 2024 to 31 March 2025)",
            "Change",
        ]
        assert all(cell.font.bold for cell in header)
        assert sheet.freeze_panes == f"B{HEADER_ROW + 1}"
        assert sheet.column_dimensions["A"].width == 48


def test_numbers_are_numbers_with_formats(public):
    key = public["Key figures"]
    figures = {row[0].value: row[1:4] for row in key.iter_rows(min_row=HEADER_ROW + 1, max_col=4)}

    current, previous, change = figures["Referrals"]
    assert (current.value, previous.value, change.value) == (47, 38, 9)
    assert (current.data_type, current.number_format) == ("n", "#,##0")
    assert change.number_format == "+#,##0;-#,##0;0"
    share = figures["Looked after (% of children referred)"]
    assert share[0].value == 41.5
    assert share[0].number_format == "0.0"
    assert share[2].value == pytest.approx(5.1)


def test_hidden_counts_stay_text(public, exact):
    ethnicity = rows(public["Children by ethnicity"])

    assert ethnicity["Asian or Asian British"] == ["<5", "<5", "Not shown"]
    assert rows(public["Children by exploitation"])["Sexual exploitation (CSE)"] == [
        12,
        "[c]",
        "Not shown",
    ]
    assert rows(exact["Children by ethnicity"])["Asian or Asian British"] == [2, 3, -1]


def test_averages_with_no_answers_say_so():
    figures = exact_figures()
    figures["current"]["feedback"]["mean_score"]["helped"] = None

    book = load_workbook(io.BytesIO(render_xlsx(figures, meta=meta(exact=True))))

    assert rows(book["Feedback"])["Average rating: the meeting helped"] == [
        "No answers",
        2.5,
        "Not shown",
    ]
