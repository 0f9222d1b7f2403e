"""A downstream app plugs a file into the import and export (as risk_assessment does)."""

import uuid

import pytest

from referrals.data_exchange.apply import import_cases
from referrals.data_exchange.context import FilePlan
from referrals.data_exchange.export import export_tables
from referrals.data_exchange.reader import read_path
from referrals.data_exchange.registry import register_file, unregister_file
from referrals.data_exchange.schema import ASSESSMENTS, CHILDREN
from referrals.models import Child
from risk_assessment.data_exchange import ASSESSMENTS_FILE
from tests.referrals.factories_imports import cases_folder

pytestmark = pytest.mark.django_db

HEADER = "assessment_ref,child_ref,completed_on,level,exploitation_type\n"


class AssessmentsFile:
    """A stand-in for the handler risk_assessment registers, to test the plug-in itself."""

    spec = ASSESSMENTS

    def __init__(self):
        self.applied = []

    def plan(self, table, ctx):
        ctx.find_children(row.values["child_ref"] for row in table.rows)
        plan = FilePlan(self.spec.name, problems=list(table.problems))
        for row in table.rows:
            if problem := ctx.child_problem(row, row.values["child_ref"]):
                plan.problems.append(problem)
            else:
                plan.new.append(row.values)
        return plan

    def apply(self, plan, ctx):
        # Children are written first, so their ids can be used here.
        for values in plan.new:
            child = Child.objects.get(pk=ctx.child_ids[values["child_ref"]])
            self.applied.append((values["assessment_ref"], child.child_ref))

    def export_rows(self):
        yield ["A1", "C0001", "2025-05-01", "HIGH", "CSE"]


@pytest.fixture
def assessments():
    # In place of risk_assessment's own handler, which is put back afterwards.
    unregister_file("assessments.csv")
    handler = AssessmentsFile()
    register_file("assessments.csv", handler)
    yield handler
    unregister_file("assessments.csv")
    register_file("assessments.csv", ASSESSMENTS_FILE)


def test_registered_handler_imports_its_file_after_the_children(tmp_path, assessments):
    folder = cases_folder(tmp_path)
    (folder / "assessments.csv").write_text(HEADER + "A1,C0001,2025-05-01,HIGH,CSE\n")

    plan = import_cases(read_path(folder), source="cases", actor=None, import_id=uuid.uuid4())

    assert plan.problems == []
    assert plan.counts()["assessments.csv"] == {"new": 1, "changed": 0, "unchanged": 0}
    assert assessments.applied == [("A1", "C0001")]


def test_registered_handler_gets_the_shared_column_checks(tmp_path, assessments):
    folder = cases_folder(tmp_path)
    (folder / "assessments.csv").write_text(HEADER + "A1,C0404,2025-05-01,SEVERE,CSE\n")

    plan = import_cases(read_path(folder), source="cases", actor=None, import_id=uuid.uuid4())

    assert [str(problem) for problem in plan.problems] == [
        "assessments.csv:2: level: must be one of LOW, MEDIUM, HIGH",
        "assessments.csv:2: child_ref: C0404 is not in children.csv or already imported",
    ]


def test_registered_file_is_exported(assessments):
    tables = {table.file: table for table in export_tables()}

    assert tables["assessments.csv"].rows == [["A1", "C0001", "2025-05-01", "HIGH", "CSE"]]


def test_a_handler_must_be_registered_under_its_own_name(assessments):
    with pytest.raises(ValueError, match=r"not referrals\.csv"):
        register_file("referrals.csv", AssessmentsFile())
    with pytest.raises(ValueError, match="already has a handler"):
        register_file("assessments.csv", AssessmentsFile())
    with pytest.raises(ValueError, match="handled by referrals"):
        unregister_file(CHILDREN.name)
