"""assessments.csv: historical risk assessment outcomes through import_cases and export_cases."""

import datetime
import uuid
from io import StringIO

import openpyxl
import pghistory.models
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cre_portal.audit.models import CaseEvent
from cre_portal.timescales import risk_review_due
from referrals.data_exchange.apply import import_cases
from referrals.data_exchange.plan import plan_import
from referrals.data_exchange.reader import read_path
from referrals.models import Child, MissingEpisode, Referral, ReturnInterview
from referrals.services.imports import case_import_check, case_import_confirm
from risk_assessment.models import Assessment, IndicatorAnswer
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_imports import cases_folder, workbook_of, zip_of
from tests.risk_assessment.factories_assessments import (
    ApprovedAssessmentFactory,
    AssessmentFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "assessment_ref,child_ref,completed_on,level,exploitation_type"
HISTORY = [
    "H0001,C0001,2024-01-15,MEDIUM,CSE",
    "H0002,C0001,2024-09-02,HIGH,CSE",
    "H0003,C0002,2024-11-20,LOW,CCE",
]


def folder_of(tmp_path, rows=HISTORY, *, header=HEADER, cases=True):
    """The clean children, referrals and episodes (or no other file) with assessments.csv."""
    if cases:
        folder = cases_folder(tmp_path)
    else:
        folder = tmp_path / "cases"
        folder.mkdir(parents=True)
    (folder / "assessments.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def run(folder, import_id=None):
    plan = import_cases(
        read_path(folder), source=folder.name, actor=None, import_id=import_id or uuid.uuid4()
    )
    assert [str(problem) for problem in plan.problems] == []
    return plan


def problems_in(folder):
    return [str(problem) for problem in plan_import(read_path(folder), source=folder.name).problems]


def snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values()) for model in (Assessment, Child)
    }


def child_risk(child_ref):
    child = Child.objects.get(child_ref=child_ref)
    return child.risk_level, child.risk_assessed_on, child.next_review_on


def export(path):
    call_command("export_cases", str(path), stdout=StringIO())


def files_of(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def empty_the_database():
    IndicatorAnswer.objects.all().delete()
    Assessment.objects.all().delete()
    for model in (ReturnInterview, MissingEpisode, Referral, Child, CaseEvent):
        model.objects.all().delete()


# --- A clean import -----------------------------------------------------------------------------
def test_import_creates_approved_outcomes_without_answers(tmp_path):
    plan = run(folder_of(tmp_path))

    assert plan.counts()["assessments.csv"] == {"new": 3, "changed": 0, "unchanged": 0}
    assessment = Assessment.objects.get(assessment_ref="H0002")
    assert assessment.child == Child.objects.get(child_ref="C0001")
    assert (assessment.origin, assessment.status) == ("IMPORT", "APPROVED")
    assert (assessment.template, assessment.score, assessment.created_by) == (None, None, None)
    assert (assessment.level, assessment.exploitation_type) == ("HIGH", "CSE")
    assert assessment.completed_on == datetime.date(2024, 9, 2)
    assert assessment.next_review_on == risk_review_due("HIGH", datetime.date(2024, 9, 2))
    assert not assessment.answers.exists()


def test_imported_outcomes_are_on_the_chronology(tmp_path):
    run(folder_of(tmp_path))

    events = CaseEvent.objects.filter(category="ASSESSMENT", verb="imported")
    assert events.count() == 3
    event = events.get(object_id=str(Assessment.objects.get(assessment_ref="H0002").pk))
    assert event.child_id == Child.objects.get(child_ref="C0001").pk
    assert event.summary == "Risk assessment imported: High, CSE, completed 2024-09-02"
    assert event.object_type == "risk_assessment.assessment"
    assert event.occurred_at == datetime.datetime(2024, 9, 1, 23, 0, tzinfo=datetime.UTC)
    assert (event.actor, event.is_significant) == (None, True)
    assert not events.get(summary__contains="Low").is_significant


def test_a_child_already_in_the_database_may_be_referred_to(tmp_path):
    ChildFactory(child_ref="K-7")

    run(folder_of(tmp_path, ["H0001,K-7,2024-01-15,LOW,BOTH"], cases=False))

    assert Assessment.objects.get().child.child_ref == "K-7"


def test_the_browser_import_takes_assessments_too(admin_user, tmp_path):
    upload = zip_of(folder_of(tmp_path))

    case_import = case_import_check(user=admin_user, filename="cases.zip", content=upload)
    assert case_import.counts["assessments.csv"] == {"new": 3, "changed": 0, "unchanged": 0}
    case_import_confirm(user=admin_user, case_import=case_import)

    assert Assessment.objects.filter(created_by=admin_user).count() == 3
    events = CaseEvent.objects.filter(category="ASSESSMENT")
    assert set(events.values_list("actor", flat=True)) == {admin_user.pk}
    insert = pghistory.models.Events.objects.tracks(Assessment.objects.first()).get()
    assert insert.pgh_context["import_id"] == str(case_import.pk)


# --- Validation ---------------------------------------------------------------------------------
def test_every_problem_of_every_row_is_reported_and_nothing_is_written(tmp_path):
    # given
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [
        "H0001,C0001,2024-13-01,MEDIUM,CSE",
        f"H0002,C0001,{tomorrow},HIGH,CSE",
        "H0003,C0002,14/03/2024,SEVERE,CCE",
        "H0004,C0002,2024-11-20,LOW,TRAFFICKING",
        "H0005,C0404,2024-11-20,LOW,CCE",
        "H0001,C0003,2024-11-20,LOW,CCE",
        "H0006,,2024-11-20,,CCE",
        "H0007,C0003,2024-11-20,LOW,CCE,extra",
    ]

    # when
    problems = problems_in(folder_of(tmp_path, rows))
    with pytest.raises(CommandError):
        call_command("import_cases", str(tmp_path / "cases"), stdout=StringIO())

    # then
    assert problems == [
        "assessments.csv:2: completed_on: must be a date in the form YYYY-MM-DD, such as "
        "2025-03-14",
        "assessments.csv:3: completed_on: must not be in the future",
        "assessments.csv:4: completed_on: must be a date in the form YYYY-MM-DD, such as "
        "2025-03-14",
        "assessments.csv:4: level: must be one of LOW, MEDIUM, HIGH",
        "assessments.csv:5: exploitation_type: must be one of CCE, CSE, BOTH",
        "assessments.csv:6: child_ref: C0404 is not in children.csv or already imported",
        "assessments.csv:7: assessment_ref: H0001 is on line 2 and again on line 7",
        "assessments.csv:8: child_ref: a value is required",
        "assessments.csv:8: level: a value is required",
        "assessments.csv:9: -: more values than columns",
    ]
    assert not Child.objects.exists()
    assert not Assessment.objects.exists()


def test_today_is_not_in_the_future(tmp_path):
    today = timezone.localdate().isoformat()

    assert problems_in(folder_of(tmp_path, [f"H0001,C0001,{today},LOW,CCE"])) == []


def test_unknown_and_missing_columns(tmp_path):
    header = "assessment_ref,child_ref,completed_on,level,score"

    problems = problems_in(folder_of(tmp_path, ["H0001,C0001,2024-01-15,LOW,12"], header=header))

    assert problems == [
        "assessments.csv:1: score: unknown column",
        "assessments.csv:1: exploitation_type: required column is missing",
    ]


def test_the_printed_problems_use_the_file_line_column_format(tmp_path):
    folder = folder_of(tmp_path, ["H0001,C0404,2024-01-15,LOW,CCE"])
    out = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_cases", str(folder), stdout=out)

    assert out.getvalue().splitlines() == [
        "assessments.csv:2: child_ref: C0404 is not in children.csv or already imported"
    ]
    assert raised.value.returncode == 1


def test_an_assessment_made_in_the_app_cannot_be_changed_by_an_import(tmp_path):
    # given
    child = ChildFactory(child_ref="K-7")
    approved = ApprovedAssessmentFactory(child=child, assessment_ref="RA-1")
    AssessmentFactory(child=child, assessment_ref="RA-2")
    rows = [
        f"RA-1,K-7,{approved.completed_on.isoformat()},HIGH,CCE",
        "RA-2,K-7,2024-01-15,LOW,CCE",
    ]

    # when
    problems = problems_in(folder_of(tmp_path, rows, cases=False))

    # then
    assert problems == [
        "assessments.csv:2: assessment_ref: RA-1 was completed in CRE Portal, where its answers "
        "set the level: an import cannot change it",
        "assessments.csv:3: assessment_ref: RA-2 is an assessment in progress in CRE Portal: "
        "give this row another reference",
    ]


def test_history_is_imported_for_a_child_with_assessments_made_in_the_app(tmp_path):
    # given
    child = ChildFactory(child_ref="K-7")
    approved = ApprovedAssessmentFactory(child=child, exploitation_type="CCE")
    AssessmentFactory(child=child)
    rows = [
        "H0001,K-7,2023-05-01,HIGH,CSE",
        f"{approved.assessment_ref},K-7,{approved.completed_on.isoformat()},{approved.level},CCE",
    ]

    # when
    plan = run(folder_of(tmp_path, rows, cases=False))

    # then
    assert plan.counts()["assessments.csv"] == {"new": 1, "changed": 0, "unchanged": 1}
    assert Assessment.objects.filter(child=child).count() == 3
    assert child_risk("K-7") == (approved.level, approved.completed_on, approved.next_review_on)


# --- Idempotent, and changes show in the history -----------------------------------------------
def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    # given
    folder = folder_of(tmp_path)
    run(folder)
    before = snapshot()
    history_before = pghistory.models.Events.objects.count()
    events_before = CaseEvent.objects.count()

    # when
    plan = run(folder)

    # then
    assert snapshot() == before
    assert pghistory.models.Events.objects.count() == history_before
    assert CaseEvent.objects.count() == events_before
    assert plan.counts()["assessments.csv"] == {"new": 0, "changed": 0, "unchanged": 3}


def test_a_changed_level_updates_the_assessment_and_shows_in_its_history(tmp_path):
    # given
    run(folder_of(tmp_path / "first"))
    changed = [HISTORY[0], "H0002,C0001,2024-09-02,MEDIUM,CSE", HISTORY[2]]
    import_id = uuid.uuid4()
    events_before = CaseEvent.objects.count()

    # when
    plan = run(folder_of(tmp_path / "second", changed), import_id=import_id)

    # then
    assert plan.counts()["assessments.csv"] == {"new": 0, "changed": 1, "unchanged": 2}
    assessment = Assessment.objects.get(assessment_ref="H0002")
    due = risk_review_due("MEDIUM", datetime.date(2024, 9, 2))
    assert (assessment.level, assessment.next_review_on, assessment.version) == ("MEDIUM", due, 2)
    update = pghistory.models.Events.objects.tracks(assessment).get(pgh_label="update")
    assert update.pgh_data["level"] == "MEDIUM"
    assert update.pgh_context["import_id"] == str(import_id)
    assert CaseEvent.objects.count() == events_before
    assert child_risk("C0001") == ("MEDIUM", datetime.date(2024, 9, 2), due)


# --- The child's risk fields --------------------------------------------------------------------
def test_each_child_carries_their_latest_completed_assessment(tmp_path):
    run(folder_of(tmp_path))

    latest = datetime.date(2024, 9, 2)
    assert child_risk("C0001") == ("HIGH", latest, risk_review_due("HIGH", latest))
    low = datetime.date(2024, 11, 20)
    assert child_risk("C0002") == ("LOW", low, risk_review_due("LOW", low))
    assert child_risk("C0003") == ("", None, None)


def test_an_older_outcome_does_not_replace_a_later_one(tmp_path):
    run(folder_of(tmp_path / "first"))

    run(folder_of(tmp_path / "second", ["H0009,C0001,2020-02-02,LOW,CCE"]))

    assert child_risk("C0001")[:2] == ("HIGH", datetime.date(2024, 9, 2))


def test_on_the_same_day_the_later_created_one_counts(tmp_path):
    run(folder_of(tmp_path / "first", ["Z0001,C0003,2024-05-01,LOW,CCE"]))
    child = Child.objects.get(child_ref="C0003")
    version = child.version

    run(folder_of(tmp_path / "second", ["A0001,C0003,2024-05-01,HIGH,CCE"], cases=False))

    child.refresh_from_db()
    assert (child.risk_level, child.version) == ("HIGH", version + 1)


def test_moving_an_assessment_to_another_child_updates_both(tmp_path):
    run(folder_of(tmp_path / "first"))

    moved = [HISTORY[0], HISTORY[1], "H0003,C0003,2024-11-20,LOW,CCE"]
    run(folder_of(tmp_path / "second", moved))

    day = datetime.date(2024, 11, 20)
    assert child_risk("C0002") == ("", None, None)
    assert child_risk("C0003") == ("LOW", day, risk_review_due("LOW", day))


# --- Export and the round trip ------------------------------------------------------------------
def app_made_assessment():
    """An assessment completed in the app, for a child of the clean import."""
    child = Child.objects.get(child_ref="C0003")
    return ApprovedAssessmentFactory(
        child=child, assessment_ref="RA-20250101-0001", exploitation_type="BOTH"
    )


def test_export_writes_every_completed_assessment_made_anywhere(tmp_path):
    run(folder_of(tmp_path / "in"))
    approved = app_made_assessment()
    AssessmentFactory(child=approved.child)  # in progress: not an outcome yet

    export(tmp_path / "out")

    lines = (tmp_path / "out" / "assessments.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [
        HEADER,
        *HISTORY,
        f"RA-20250101-0001,C0003,{approved.completed_on.isoformat()},{approved.level},BOTH",
    ]


def test_exported_assessments_import_back_as_unchanged(tmp_path):
    run(folder_of(tmp_path / "in"))
    app_made_assessment()
    export(tmp_path / "out")

    plan = run(tmp_path / "out")

    assert plan.counts()["assessments.csv"] == {"new": 0, "changed": 0, "unchanged": 4}


def test_round_trip_through_an_empty_database_gives_identical_files(tmp_path):
    # given
    run(folder_of(tmp_path / "in"))
    app_made_assessment()
    export(tmp_path / "first")

    # when
    empty_the_database()
    run(tmp_path / "first")
    export(tmp_path / "second")

    # then
    assert files_of(tmp_path / "second") == files_of(tmp_path / "first")
    assert Assessment.objects.get(assessment_ref="RA-20250101-0001").origin == "IMPORT"


def imported_outcomes():
    fields = ("assessment_ref", "child__child_ref", "completed_on", "level", "exploitation_type")
    rows = Assessment.objects.order_by("assessment_ref")
    return list(rows.values_list(*fields, "origin", "status", "next_review_on"))


def test_a_workbook_sheet_named_assessments_imports_like_the_csv_file(tmp_path):
    # given
    folder = folder_of(tmp_path / "in")
    workbook = tmp_path / "cases.xlsx"
    workbook.write_bytes(workbook_of(folder))
    run(folder)
    from_csv = imported_outcomes()
    empty_the_database()

    # when
    plan = run(workbook)

    # then
    assert plan.counts()["assessments.csv"] == {"new": 3, "changed": 0, "unchanged": 0}
    assert imported_outcomes() == from_csv


def test_the_exported_workbook_has_an_assessments_sheet_that_round_trips(tmp_path):
    # given
    run(folder_of(tmp_path / "in"))
    app_made_assessment()
    export(tmp_path / "csv")
    export(tmp_path / "cases.xlsx")

    # when
    empty_the_database()
    run(tmp_path / "cases.xlsx")
    export(tmp_path / "again")

    # then
    sheet = openpyxl.load_workbook(tmp_path / "cases.xlsx")["assessments"]
    lines = (tmp_path / "csv" / "assessments.csv").read_text(encoding="utf-8").splitlines()
    assert [",".join(row) for row in sheet.iter_rows(values_only=True)] == lines
    assert files_of(tmp_path / "again") == files_of(tmp_path / "csv")
