"""Reading workbooks and ZIP uploads: the same tables as the CSV folder, and safe with bad files."""

import datetime
import io
import uuid
import zipfile

import openpyxl
import pytest

from referrals.data_exchange import reader
from referrals.data_exchange.apply import import_cases
from referrals.data_exchange.export import export_tables
from referrals.data_exchange.plan import plan_import
from referrals.data_exchange.reader import read_folder, read_upload, read_workbook
from tests.referrals.factories_imports import cases_folder, replace_line, workbook_of, zip_of

pytestmark = pytest.mark.django_db


def problems(read):
    return [str(problem) for problem in plan_import(read, source="upload").problems]


def test_workbook_gives_the_same_tables_as_the_csv_folder(tmp_path):
    folder = cases_folder(tmp_path)

    from_csv = read_folder(folder)
    from_xlsx = read_workbook("cases.xlsx", workbook_of(folder))

    assert sorted(from_xlsx.tables, key=lambda t: t.file) == sorted(
        from_csv.tables, key=lambda t: t.file
    )
    assert from_xlsx.problems == []


def test_workbook_import_gives_the_same_records_as_the_csv_folder(tmp_path):
    folder = cases_folder(tmp_path)
    import_cases(read_folder(folder), source="cases", actor=None, import_id=uuid.uuid4())
    from_csv = export_tables()

    plan = import_cases(
        read_workbook("cases.xlsx", workbook_of(folder)),
        source="cases.xlsx",
        actor=None,
        import_id=uuid.uuid4(),
    )

    assert plan.problems == []
    assert all(counts["changed"] == 0 for counts in plan.counts().values())
    assert export_tables() == from_csv


def test_workbook_problems_name_the_sheet_as_a_csv_file_and_its_row(tmp_path):
    bad = replace_line("children", 3, "C0002,Jayden,Okoro,,2009-11-02,7,BAFR,,CIN,,,")
    upload = workbook_of(cases_folder(tmp_path, children=bad))

    assert problems(read_workbook("cases.xlsx", upload)) == [
        "children.csv:3: sex: must be one of 1, 2"
    ]


def test_workbook_cells_typed_as_dates_and_numbers_are_read_as_text():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "missing_episodes"
    sheet.append(["episode_ref", "child_ref", "kind", "started_at", "rhi_offered"])
    sheet.append([1001, "C0001", "M", datetime.datetime(2025, 4, 1, 22, 15), "NA"])  # noqa: DTZ001
    children = workbook.create_sheet("children")
    children.append(["child_ref", "first_name", "last_name", "date_of_birth", "sex"])
    children.append(["C0001", "Amelia", "Hart", datetime.datetime(2010, 5, 14), 2])  # noqa: DTZ001
    children["D2"].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)

    read = read_workbook("cases.xlsx", buffer.getvalue())

    tables = {table.file: table for table in read.tables}
    assert tables["missing_episodes.csv"].rows == [
        (2, ["1001", "C0001", "M", "2025-04-01T22:15:00", "NA"])
    ]
    assert tables["children.csv"].rows == [(2, ["C0001", "Amelia", "Hart", "2010-05-14", "2"])]


def test_an_empty_extra_sheet_is_ignored_but_an_unknown_one_is_an_error():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    workbook.create_sheet("Notes").append(["Imported from the old system"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert problems(read_workbook("cases.xlsx", buffer.getvalue())) == [
        "Notes.csv:1: -: unknown file: the files are children.csv, referrals.csv, "
        "missing_episodes.csv, assessments.csv"
    ]


def test_zip_of_the_csv_files_at_the_top_or_in_a_folder(tmp_path):
    folder = cases_folder(tmp_path)

    assert problems(read_upload("cases.zip", zip_of(folder))) == []
    assert problems(read_upload("cases.zip", zip_of(folder, inside="cases/"))) == []


def test_zip_ignores_mac_resource_files_and_other_files(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("__MACOSX/._children.csv", b"\x00\x05binary")
        archive.writestr("README.txt", "notes")
        archive.writestr("children.csv", (cases_folder(tmp_path) / "children.csv").read_bytes())

    assert problems(read_upload("cases.zip", buffer.getvalue())) == []


def test_zip_with_the_same_file_twice(tmp_path):
    folder = cases_folder(tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/children.csv", (folder / "children.csv").read_bytes())
        archive.writestr("b/children.csv", (folder / "children.csv").read_bytes())

    assert problems(read_upload("cases.zip", buffer.getvalue())) == [
        "children.csv:1: -: appears more than once in the ZIP file"
    ]


def test_zip_member_with_a_path_outside_the_archive_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/children.csv", "child_ref\n")

    assert problems(read_upload("cases.zip", buffer.getvalue())) == [
        "cases.zip:1: -: holds a file with an unsafe path: children.csv"
    ]


def test_zip_with_too_many_files_is_refused(monkeypatch):
    monkeypatch.setattr(reader, "MAX_MEMBERS", 3)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(4):
            archive.writestr(f"notes{n}.txt", "x")

    assert problems(read_upload("cases.zip", buffer.getvalue())) == [
        "cases.zip:1: -: holds more than 3 files"
    ]


def test_zip_bomb_is_refused_before_it_is_unpacked():
    # 300 MB of zeros compress to about 300 KB.
    buffer = io.BytesIO()
    chunk = b"0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("children.csv", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(chunk)

    assert problems(read_upload("cases.zip", buffer.getvalue())) == [
        "cases.zip:1: -: would unpack to more than 200 MB"
    ]


def test_a_workbook_bomb_is_refused_too(monkeypatch, tmp_path):
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", 1000)

    assert problems(read_upload("cases.xlsx", workbook_of(cases_folder(tmp_path)))) == [
        "cases.xlsx:1: -: would unpack to more than 0 MB"
    ]


@pytest.mark.parametrize("name", ["cases.zip", "cases.xlsx"])
def test_a_file_that_is_not_a_zip(name):
    assert problems(read_upload(name, b"child_ref,first_name\n")) == [
        f"{name}:1: -: is not a valid ZIP or XLSX file"
    ]


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("children.csv", "child_ref\n")

    assert problems(read_upload("cases.xlsx", buffer.getvalue())) == [
        "cases.xlsx:1: -: is not a valid XLSX workbook"
    ]


def test_a_csv_with_an_unclosed_quote(tmp_path):
    text = 'child_ref,first_name\nC1,"Amelia\n'
    folder = cases_folder(tmp_path, children=text, referrals=None, missing_episodes=None)

    assert problems(read_folder(folder)) == [
        "children.csv:2: -: is not valid CSV: unexpected end of data"
    ]
