"""Every rule of the import format, each reported as `file:line: column: message`; on any
problem nothing is written."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from referrals.data_exchange.apply import import_cases
from referrals.data_exchange.plan import plan_import
from referrals.data_exchange.reader import read_path
from referrals.data_exchange.registry import register_file, unregister_file
from referrals.models import Child, MissingEpisode, Referral
from risk_assessment.data_exchange import ASSESSMENTS_FILE
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_imports import cases_folder, read_text, replace_line

pytestmark = pytest.mark.django_db

CHILDREN_HEADER = read_text("children").splitlines()[0]
EPISODES_HEADER = read_text("missing_episodes").splitlines()[0]


def problems_in(folder: Path) -> list[str]:
    return [str(problem) for problem in plan_import(read_path(folder), source=folder.name).problems]


def test_the_clean_files_have_no_problems(tmp_path):
    assert problems_in(cases_folder(tmp_path)) == []


def test_missing_required_column_is_reported_once_for_the_file(tmp_path):
    # given: children.csv without date_of_birth
    lines = [line.split(",") for line in read_text("children").splitlines()]
    text = "\n".join(",".join(cells[:4] + cells[5:]) for cells in lines) + "\n"

    # when
    problems = problems_in(cases_folder(tmp_path, children=text))

    # then
    assert problems == ["children.csv:1: date_of_birth: required column is missing"]


def test_unknown_column_is_an_error(tmp_path):
    lines = read_text("referrals").splitlines()
    text = "\n".join([lines[0] + ",nickname", *(line + "," for line in lines[1:])]) + "\n"

    problems = problems_in(cases_folder(tmp_path, referrals=text))

    assert problems == ["referrals.csv:1: nickname: unknown column"]


def test_optional_columns_may_be_left_out(tmp_path):
    text = "child_ref,first_name,last_name,date_of_birth,sex,ethnicity,care_status\n"
    text += "C0009,Ava,Stone,2012-02-02,2,WBRI,CIN\n"

    folder = cases_folder(tmp_path, children=text, referrals=None, missing_episodes=None)

    assert problems_in(folder) == []


@pytest.mark.parametrize(
    ("column_index", "bad", "expected"),
    [
        (5, "3", "children.csv:3: sex: must be one of 1, 2"),
        (6, "WBR", "children.csv:3: ethnicity: is not a DfE ethnicity code"),
        (7, "LD;XX", "children.csv:3: disability: must be CIN disability codes separated by ';'"),
        (8, "LOOKED", "children.csv:3: care_status: must be one of LAC, CP, CIN, EARLY_HELP, NONE"),
        (11, "K9", "children.csv:3: placement_type: is not a 903 placement type code"),
        (
            4,
            "02/11/2009",
            "children.csv:3: date_of_birth: must be a date in the form YYYY-MM-DD, "
            "such as 2025-03-14",
        ),
    ],
)
def test_bad_values_name_the_line_and_column(tmp_path, column_index, bad, expected):
    cells = read_text("children").splitlines()[2].split(",")
    cells[column_index] = bad

    problems = problems_in(
        cases_folder(tmp_path, children=replace_line("children", 3, ",".join(cells)))
    )

    assert problems == [expected]


def test_required_value_left_empty(tmp_path):
    text = replace_line("referrals", 2, "R0001,C0001,,CSE,6,Y,C2,,")

    assert problems_in(cases_folder(tmp_path, referrals=text)) == [
        "referrals.csv:2: received_on: a value is required"
    ]


def test_bad_referral_codes(tmp_path):
    text = replace_line("referrals", 3, "R0002,C0002,2025-05-02,CCX,11,maybe,,,")

    assert problems_in(cases_folder(tmp_path, referrals=text)) == [
        "referrals.csv:3: exploitation_type: must be one of CCE, CSE, BOTH",
        "referrals.csv:3: source: is not a CIN referral source code",
        "referrals.csv:3: looked_after: must be Y or N",
    ]


def test_unknown_child_ref(tmp_path):
    text = replace_line("referrals", 4, "R0003,C9999,2025-06-20,BOTH,5C,N,,,")

    assert problems_in(cases_folder(tmp_path, referrals=text)) == [
        "referrals.csv:4: child_ref: C9999 is not in children.csv or already imported"
    ]


def test_child_ref_already_in_the_database_is_accepted(tmp_path):
    ChildFactory(child_ref="C7777")
    text = replace_line("referrals", 4, "R0003,C7777,2025-06-20,BOTH,5C,N,,,")

    assert problems_in(cases_folder(tmp_path, referrals=text)) == []


def test_a_bad_child_row_does_not_make_its_referrals_unknown(tmp_path):
    text = replace_line("children", 2, "C0001,Amelia,Hart,,2010-05-14,9,WBRI,,CIN,,,")

    assert problems_in(cases_folder(tmp_path, children=text)) == [
        "children.csv:2: sex: must be one of 1, 2"
    ]


def test_episode_ending_before_it_started(tmp_path):
    row = "M0001,C0001,M,2025-04-01T22:15,2025-04-01T21:00,MEDIUM,Y,Y,"
    text = replace_line("missing_episodes", 2, row)

    assert problems_in(cases_folder(tmp_path, missing_episodes=text)) == [
        "missing_episodes.csv:2: ended_at: must not be before started_at"
    ]


def test_interview_before_the_return(tmp_path):
    row = "M0001,C0001,M,2025-04-01T22:15,2025-04-02T09:30,MEDIUM,Y,Y,2025-04-02T09:00"
    text = replace_line("missing_episodes", 2, row)

    assert problems_in(cases_folder(tmp_path, missing_episodes=text)) == [
        "missing_episodes.csv:2: rhi_completed_at: must not be before ended_at"
    ]


def test_interview_while_still_missing(tmp_path):
    row = "M0001,C0001,M,2025-04-01T22:15,,MEDIUM,Y,Y,2025-04-03T09:00"
    text = replace_line("missing_episodes", 2, row)

    assert problems_in(cases_folder(tmp_path, missing_episodes=text)) == [
        "missing_episodes.csv:2: rhi_completed_at: needs ended_at: an interview takes place "
        "after the child returns"
    ]


def test_duplicate_ref_names_both_lines(tmp_path):
    text = read_text("children") + "C0002,Jay,Okoro,,2009-11-02,1,BAFR,,CIN,,,\n"

    assert problems_in(cases_folder(tmp_path, children=text)) == [
        "children.csv:5: child_ref: C0002 is on line 3 and again on line 5"
    ]


def test_future_date_of_birth(tmp_path):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    text = replace_line("children", 3, f"C0002,Jayden,Okoro,,{tomorrow},1,BAFR,,CIN,,,")

    assert problems_in(cases_folder(tmp_path, children=text)) == [
        "children.csv:3: date_of_birth: must not be in the future"
    ]


def test_looked_after_child_without_legal_status(tmp_path):
    text = replace_line("children", 2, "C0001,Amelia,Hart,,2010-05-14,2,WBRI,,LAC,,,K2")

    assert problems_in(cases_folder(tmp_path, children=text)) == [
        "children.csv:2: legal_status: a legal status is required when care_status is LAC"
    ]


def test_looked_after_referral_needs_legal_status_and_only_it_names_a_placing_authority(tmp_path):
    lines = [
        "R0001,C0001,2025-04-10,CSE,6,Y,,,",
        "R0002,C0002,2025-05-02,CCE,2A,N,,Southdale Borough Council,",
    ]
    text = read_text("referrals").splitlines()[0] + "\n" + "\n".join(lines) + "\n"

    assert problems_in(cases_folder(tmp_path, referrals=text)) == [
        "referrals.csv:2: legal_status: a legal status is required when looked_after is Y",
        "referrals.csv:3: placing_authority: must be empty when looked_after is N",
    ]


def test_time_skipped_by_the_clocks_going_forward_is_refused(tmp_path):
    text = f"{EPISODES_HEADER}\nM0001,C0001,M,2025-03-30T01:30,,LOW,Y,,\n"

    problems = problems_in(cases_folder(tmp_path, missing_episodes=text))

    assert problems == [
        "missing_episodes.csv:2: started_at: is a time skipped when the clocks went forward in "
        "Europe/London: give it with an offset, such as +00:00"
    ]


def test_time_repeated_by_the_clocks_going_back_is_the_first_one(tmp_path):
    text = f"{EPISODES_HEADER}\nM0001,C0001,M,2025-10-26T01:30,2025-10-26T01:10+00:00,LOW,Y,,\n"
    folder = cases_folder(tmp_path, missing_episodes=text)

    plan = import_cases(read_path(folder), source="cases", actor=None, import_id=uuid.uuid4())

    assert plan.is_clean
    episode = MissingEpisode.objects.get()
    assert episode.started_at == datetime.datetime(2025, 10, 26, 0, 30, tzinfo=datetime.UTC)
    assert episode.ended_at == datetime.datetime(2025, 10, 26, 1, 10, tzinfo=datetime.UTC)


def test_date_time_without_a_time_is_refused(tmp_path):
    text = f"{EPISODES_HEADER}\nM0001,C0001,M,2025-04-01,,LOW,Y,,\n"

    problems = problems_in(cases_folder(tmp_path, missing_episodes=text))

    assert problems == [
        "missing_episodes.csv:2: started_at: must be an ISO 8601 date and time, such as "
        "2025-03-14T16:30 or 2025-03-14T16:30+00:00"
    ]


def test_excel_byte_order_mark_is_accepted(tmp_path):
    folder = cases_folder(tmp_path)
    path = folder / "children.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    assert problems_in(folder) == []


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    folder = cases_folder(tmp_path)
    (folder / "children.csv").write_bytes(
        read_text("children").encode() + "C0004,Zo\xeb".encode("latin-1")
    )

    # The other files' references to children cannot be checked: no noise about them.
    assert problems_in(folder) == ["children.csv:5: -: is not UTF-8 text: save it as CSV UTF-8"]


def test_lines_are_physical_lines_even_after_a_value_over_several_lines(tmp_path):
    text = read_text("referrals").splitlines()
    text.insert(2, 'R0009,C0001,2025-04-11,CSE,6,Y,C2,,"first line\nsecond line"')
    text[4] = "R0003,C0003,not a date,BOTH,5C,Y,V2,,"

    problems = problems_in(cases_folder(tmp_path, referrals="\n".join(text) + "\n"))

    assert problems == [
        "referrals.csv:6: received_on: must be a date in the form YYYY-MM-DD, such as 2025-03-14"
    ]


def test_more_values_than_columns(tmp_path):
    text = replace_line("referrals", 3, "R0002,C0002,2025-05-02,CCE,2A,N,,,,extra")

    assert problems_in(cases_folder(tmp_path, referrals=text)) == [
        "referrals.csv:3: -: more values than columns"
    ]


def test_blank_lines_are_skipped(tmp_path):
    text = read_text("referrals") + "\n,,,,,,,,\n"

    assert problems_in(cases_folder(tmp_path, referrals=text)) == []


def test_a_documented_file_cannot_be_imported_without_a_handler(tmp_path):
    # given risk_assessment's handler of assessments.csv is not registered
    folder = cases_folder(tmp_path)
    (folder / "assessments.csv").write_text(
        "assessment_ref,child_ref,completed_on,level,exploitation_type\n"
    )
    unregister_file("assessments.csv")

    # when
    try:
        problems = problems_in(folder)
    finally:
        register_file("assessments.csv", ASSESSMENTS_FILE)

    # then
    assert problems == ["assessments.csv:1: -: assessments can't be imported yet"]


def test_unknown_file_is_an_error(tmp_path):
    folder = cases_folder(tmp_path)
    (folder / "childrens.csv").write_text(CHILDREN_HEADER + "\n")

    assert problems_in(folder) == [
        "childrens.csv:1: -: unknown file: the files are children.csv, referrals.csv, "
        "missing_episodes.csv, assessments.csv"
    ]


def test_a_folder_without_any_file(tmp_path):
    assert problems_in(tmp_path) == [
        f"{tmp_path.name}:1: -: holds none of the files children.csv, referrals.csv, "
        "missing_episodes.csv, assessments.csv"
    ]


def test_every_problem_in_every_file_is_reported_and_nothing_is_written(tmp_path):
    # given
    folder = cases_folder(
        tmp_path,
        children=replace_line("children", 4, "C0003,Ruby,Price,,2011-01-30,2,MWBC,,LAC,,,"),
        referrals=replace_line("referrals", 2, "R0001,C0001,2025-13-10,CSE,6,Y,C2,,"),
    )

    # when
    plan = import_cases(read_path(folder), source="cases", actor=None, import_id=uuid.uuid4())

    # then
    assert [str(p) for p in plan.problems] == [
        "children.csv:4: legal_status: a legal status is required when care_status is LAC",
        "referrals.csv:2: received_on: must be a date in the form YYYY-MM-DD, such as 2025-03-14",
    ]
    assert not Child.objects.exists()
    assert not Referral.objects.exists()
