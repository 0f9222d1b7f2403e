"""`manage.py import_cases PATH`: its output and exit status."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from referrals.models import Child
from tests.referrals.factories_imports import cases_folder, replace_line, workbook_of

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
BAD_CHILDREN = replace_line("children", 3, "C0002,Jayden,Okoro,,2009-11-02,7,BAFR,,CIN,,,")


def call(*args):
    out, err = StringIO(), StringIO()
    call_command("import_cases", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_clean_import_prints_what_it_did(tmp_path):
    out, err = call(str(cases_folder(tmp_path)))

    lines = out.splitlines()
    assert lines[:3] == [
        "children.csv: 3 new, 0 changed, 0 unchanged",
        "referrals.csv: 3 new, 0 changed, 0 unchanged",
        "missing_episodes.csv: 3 new, 0 changed, 0 unchanged",
    ]
    assert lines[3].startswith("Imported: ")
    assert err == ""
    assert Child.objects.count() == 3


def test_problems_are_printed_one_a_line_and_the_command_fails(tmp_path):
    folder = cases_folder(
        tmp_path,
        children=BAD_CHILDREN,
        referrals=replace_line("referrals", 2, "R0001,C0001,2025-04-10,CSE,6,Y,,,"),
    )
    out = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_cases", str(folder), stdout=out)

    assert out.getvalue().splitlines() == [
        "children.csv:3: sex: must be one of 1, 2",
        "referrals.csv:2: legal_status: a legal status is required when looked_after is Y",
    ]
    assert str(raised.value) == "2 problems; nothing was imported."
    assert raised.value.returncode == 1
    assert not Child.objects.exists()


def test_an_xlsx_workbook_is_read_like_the_folder(tmp_path):
    workbook = tmp_path / "cases.xlsx"
    workbook.write_bytes(workbook_of(cases_folder(tmp_path)))

    out, _ = call(str(workbook))

    assert out.splitlines()[0] == "children.csv: 3 new, 0 changed, 0 unchanged"


def test_dry_run_writes_nothing(tmp_path):
    out, _ = call(str(cases_folder(tmp_path)), "--dry-run")

    assert "Checked; nothing written (--dry-run)." in out
    assert "children.csv: 3 new, 0 changed, 0 unchanged" in out
    assert not Child.objects.exists()


@pytest.mark.parametrize("name", ["nowhere", "cases.csv"])
def test_a_path_that_is_neither_a_folder_nor_a_workbook(tmp_path, name):
    (tmp_path / "cases.csv").write_text("child_ref\n")

    with pytest.raises(CommandError) as raised:
        call(str(tmp_path / name))

    assert raised.value.returncode == 2


def _manage(*args):
    """Run manage.py as a separate process against the test database."""
    db = connection.settings_dict
    # The embedded server listens on a Unix socket, which a URL carries percent-encoded.
    host = f"{quote(db['HOST'] or 'localhost', safe='')}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cre_portal.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}",
    }
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_the_real_command_exits_non_zero_with_the_problems_on_standard_output(tmp_path):
    result = _manage("import_cases", str(cases_folder(tmp_path, children=BAD_CHILDREN)))

    assert result.returncode == 1
    assert result.stdout.splitlines() == ["children.csv:3: sex: must be one of 1, 2"]
    assert "1 problem; nothing was imported." in result.stderr


def test_the_real_command_exits_zero_when_clean(tmp_path):
    # --dry-run: this test's own transaction cannot see what another process commits.
    result = _manage("import_cases", "--dry-run", str(cases_folder(tmp_path)))

    assert result.returncode == 0, result.stderr
    assert "children.csv: 3 new, 0 changed, 0 unchanged" in result.stdout
