"""`manage.py export_cases PATH`, and the round trip: export, import into an empty database,
export again."""

import datetime
import uuid
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from cre_portal.audit.models import CaseEvent
from referrals.data_exchange.apply import import_cases
from referrals.data_exchange.reader import read_path
from referrals.models import Child, MissingEpisode, Referral, ReturnInterview
from tests.referrals.factories import ChildFactory, LookedAfterChildFactory
from tests.referrals.factories_imports import cases_folder

pytestmark = pytest.mark.django_db


def export(path):
    out = StringIO()
    call_command("export_cases", str(path), stdout=out)
    return out.getvalue()


def import_folder(path):
    plan = import_cases(read_path(path), source=path.name, actor=None, import_id=uuid.uuid4())
    assert plan.problems == []


def empty_the_database():
    for model in (ReturnInterview, MissingEpisode, Referral, Child, CaseEvent):
        model.objects.all().delete()


def files_of(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def awkward_records():
    """Values that are easy to get wrong: commas, quotes, line breaks, formulas, accents, times
    in the repeated hour and with microseconds, an open episode, an interview in progress."""
    child = LookedAfterChildFactory(
        child_ref="Z-1",
        first_name="Zoë",
        last_name='O\'Brien, "Zed"',
        known_as=["=cmd|calc", "Zed"],
        disability=["LD", "AUT"],
        placing_authority="Southdale, Borough",
    )
    ChildFactory(child_ref="A-2", first_name="Émile")
    Referral.objects.create(
        referral_ref="R-1",
        child=child,
        received_on=datetime.date(2025, 1, 2),
        source="5C",
        exploitation_type="CSE",
        concerns="Line one\nLine two, with a comma\r\n=1+1\r\n",
        looked_after=True,
        legal_status="V2",
        placing_authority="Southdale, Borough",
    )
    repeated_hour = datetime.datetime(2025, 10, 26, 1, 15, 3, 120, tzinfo=datetime.UTC)
    episode = MissingEpisode.objects.create(
        episode_ref="M-1", child=child, kind="A", started_at=repeated_hour, rhi_offered="N"
    )
    ended = MissingEpisode.objects.create(
        episode_ref="M-2",
        child=child,
        kind="M",
        started_at=repeated_hour - datetime.timedelta(days=3),
        ended_at=repeated_hour - datetime.timedelta(days=2),
        rhi_accepted=False,
    )
    ReturnInterview.objects.create(episode=ended, completed_at=None)
    return episode


def test_export_writes_every_documented_column(tmp_path):
    import_folder(cases_folder(tmp_path))

    output = export(tmp_path / "out")

    assert output.splitlines() == [
        "children.csv: 3 rows",
        "referrals.csv: 3 rows",
        "missing_episodes.csv: 3 rows",
        "assessments.csv: 0 rows",
    ]
    children = (tmp_path / "out" / "children.csv").read_text(encoding="utf-8").splitlines()
    assert children[0] == (
        "child_ref,first_name,last_name,known_as,date_of_birth,sex,ethnicity,disability,"
        "care_status,legal_status,placing_authority,placement_type"
    )
    assert children[1] == "C0001,Amelia,Hart,Millie;Mills,2010-05-14,2,WBRI,,LAC,C2,,K2"
    episodes = (tmp_path / "out" / "missing_episodes.csv").read_text().splitlines()
    assert episodes[2] == (
        "M0002,C0001,A,2025-10-26T01:30:00+01:00,2025-10-26T08:00:00+00:00,LOW,Y,N,"
    )


def test_round_trip_through_an_empty_database_gives_identical_files(tmp_path):
    # given
    import_folder(cases_folder(tmp_path))
    awkward_records()
    export(tmp_path / "first")

    # when
    empty_the_database()
    import_folder(tmp_path / "first")
    export(tmp_path / "second")

    # then
    assert files_of(tmp_path / "second") == files_of(tmp_path / "first")


def test_exported_files_import_as_unchanged(tmp_path):
    import_folder(cases_folder(tmp_path))
    awkward_records()
    export(tmp_path / "out")

    plan = import_cases(
        read_path(tmp_path / "out"), source="out", actor=None, import_id=uuid.uuid4()
    )

    assert {file: counts["changed"] for file, counts in plan.counts().items()} == {
        "children.csv": 0,
        "referrals.csv": 0,
        "missing_episodes.csv": 0,
        "assessments.csv": 0,
    }


def test_round_trip_through_a_workbook(tmp_path):
    # given
    import_folder(cases_folder(tmp_path))
    awkward_records()
    export(tmp_path / "csv")
    export(tmp_path / "cases.xlsx")

    # when
    empty_the_database()
    import_folder(tmp_path / "cases.xlsx")
    export(tmp_path / "again")

    # then
    assert files_of(tmp_path / "again") == files_of(tmp_path / "csv")


def test_workbook_stores_every_value_as_text_so_nothing_runs_as_a_formula(tmp_path):
    awkward_records()

    export(tmp_path / "cases.xlsx")

    workbook = openpyxl.load_workbook(tmp_path / "cases.xlsx")
    assert workbook.sheetnames == ["children", "referrals", "missing_episodes", "assessments"]
    cells = [cell for row in workbook["children"].iter_rows(min_row=2) for cell in row]
    assert {cell.data_type for cell in cells if cell.value is not None} == {"s"}
    assert workbook["children"]["D3"].value == "=cmd|calc;Zed"


def test_export_of_an_empty_database_writes_headers_only(tmp_path):
    export(tmp_path / "out")

    assert (tmp_path / "out" / "referrals.csv").read_text().splitlines() == [
        "referral_ref,child_ref,received_on,exploitation_type,source,looked_after,legal_status,"
        "placing_authority,concerns"
    ]
    assert (tmp_path / "out" / "assessments.csv").read_text().splitlines() == [
        "assessment_ref,child_ref,completed_on,level,exploitation_type"
    ]
