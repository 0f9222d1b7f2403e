"""Imports: the CaseImport factory and the files of an import, as a folder, a ZIP or a workbook."""

import csv
import io
import shutil
import zipfile
from pathlib import Path

import factory
import openpyxl

from cre_portal.accounts.roles import Role
from referrals.models import CaseImport
from tests.accounts.factories import UserFactory

# A clean import: three children, their referrals and missing episodes.
CASES = Path(__file__).parent / "data" / "cases"


class CaseImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseImport

    uploaded_by = factory.SubFactory(UserFactory, roles=[Role.ADMINISTRATOR])
    filename = "cases.zip"
    status = CaseImport.Status.CHECKED
    content = b""
    counts = factory.LazyFunction(dict)


class RejectedCaseImportFactory(CaseImportFactory):
    status = CaseImport.Status.REJECTED
    problems = factory.LazyFunction(
        lambda: [{"file": "children.csv", "line": 3, "column": "sex", "message": "must be 1 or 2"}]
    )


def cases_folder(tmp_path: Path, **files: str) -> Path:
    """A copy of the clean import in which each keyword (children="...") replaces that file's
    text; None as the text leaves the file out."""
    folder = tmp_path / "cases"
    shutil.copytree(CASES, folder)
    for stem, text in files.items():
        path = folder / f"{stem}.csv"
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def read_text(stem: str) -> str:
    return (CASES / f"{stem}.csv").read_text(encoding="utf-8")


def replace_line(stem: str, line: int, text: str) -> str:
    """The clean file with its physical line `line` (the header is 1) replaced."""
    lines = read_text(stem).splitlines()
    lines[line - 1] = text
    return "\n".join(lines) + "\n"


def zip_of(folder: Path, *, inside: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.writestr(f"{inside}{path.name}", path.read_bytes())
    return buffer.getvalue()


def workbook_of(folder: Path) -> bytes:
    """The CSV files as the sheets of a workbook, every cell as text."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for path in sorted(folder.glob("*.csv")):
        sheet = workbook.create_sheet(path.stem)
        with path.open(encoding="utf-8-sig", newline="") as stream:
            for row in csv.reader(stream):
                sheet.append([value or None for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
