"""Applying an import: what it writes, that it is idempotent, and what history it leaves."""

import datetime
import uuid

import pghistory.models
import pytest

from cre_portal.audit.models import CaseEvent
from referrals.codes import CareStatus
from referrals.data_exchange.apply import import_cases
from referrals.data_exchange.reader import read_path
from referrals.models import Child, MissingEpisode, Referral, ReturnInterview
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_imports import cases_folder, read_text, replace_line

pytestmark = pytest.mark.django_db

TABLES = (Child, Referral, MissingEpisode, ReturnInterview)


def run(folder, actor=None, import_id=None):
    plan = import_cases(
        read_path(folder), source=folder.name, actor=actor, import_id=import_id or uuid.uuid4()
    )
    assert plan.problems == []
    return plan


def snapshot():
    """Every imported row, field by field, so two states of the database can be compared."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}


def history_count():
    return pghistory.models.Events.objects.count()


def test_import_creates_the_records_with_their_values(tmp_path):
    run(cases_folder(tmp_path))

    amelia = Child.objects.get(child_ref="C0001")
    assert amelia.known_as == ["Millie", "Mills"]
    assert (amelia.care_status, amelia.legal_status, amelia.placement_type) == ("LAC", "C2", "K2")
    assert amelia.team is None
    assert Child.objects.get(child_ref="C0002").disability == ["LD", "AUT"]
    assert Child.objects.get(child_ref="C0003").placing_authority == "Southdale Borough Council"
    referral = Referral.objects.get(referral_ref="R0001")
    assert referral.child == amelia
    assert (referral.looked_after, referral.legal_status, referral.care_status) == (
        True,
        "C2",
        CareStatus.LAC,
    )
    assert Referral.objects.get(referral_ref="R0002").care_status == ""
    episode = MissingEpisode.objects.get(episode_ref="M0001")
    assert episode.started_at == datetime.datetime(2025, 4, 1, 21, 15, tzinfo=datetime.UTC)
    assert episode.rhi_due_at == episode.ended_at + datetime.timedelta(hours=72)
    assert episode.rhi_accepted is True
    assert episode.return_interview.completed_at == datetime.datetime(
        2025, 4, 3, 14, 0, tzinfo=datetime.UTC
    )
    open_episode = MissingEpisode.objects.get(episode_ref="M0003")
    assert (open_episode.ended_at, open_episode.rhi_accepted) == (None, None)
    assert not ReturnInterview.objects.filter(episode=open_episode).exists()


def test_search_text_is_derived_for_bulk_created_children(tmp_path):
    run(cases_folder(tmp_path))

    assert Child.objects.get(child_ref="C0001").search_text == "amelia hart millie mills c0001"


def test_new_records_are_on_the_chronology_as_imported_by_the_system(tmp_path):
    run(cases_folder(tmp_path))

    events = CaseEvent.objects.filter(verb="imported")
    # 3 children, 3 referrals, 3 episodes and 1 interview
    assert events.count() == 10
    assert not events.exclude(actor=None).exists()
    amelia = Child.objects.get(child_ref="C0001")
    referral = events.get(category="REFERRAL", child_id=amelia.pk)
    assert referral.summary == "Referral imported: CSE, received 2025-04-10"
    assert referral.occurred_at == datetime.datetime(2025, 4, 9, 23, 0, tzinfo=datetime.UTC)
    summaries = set(events.filter(child_id=amelia.pk).values_list("summary", flat=True))
    assert "Child record imported: care status LAC" in summaries
    assert "Missing episode imported: M, started 2025-04-01 22:15" in summaries
    assert "Return home interview imported: completed 2025-04-03" in summaries
    assert not any("Amelia" in summary for summary in summaries)


def test_importing_the_same_files_twice_changes_nothing(tmp_path):
    # given
    folder = cases_folder(tmp_path)
    run(folder)
    before, history_before = snapshot(), history_count()
    events_before = CaseEvent.objects.count()

    # when
    plan = run(folder)

    # then
    assert snapshot() == before
    assert history_count() == history_before
    assert CaseEvent.objects.count() == events_before
    assert plan.counts() == {
        "children.csv": {"new": 0, "changed": 0, "unchanged": 3},
        "referrals.csv": {"new": 0, "changed": 0, "unchanged": 3},
        "missing_episodes.csv": {"new": 0, "changed": 0, "unchanged": 3},
    }


def test_a_changed_value_updates_the_record_and_shows_in_its_history(tmp_path):
    # given
    run(cases_folder(tmp_path / "first"))
    child = Child.objects.get(child_ref="C0002")
    changed = replace_line("children", 3, "C0002,Jayden,Okoro,,2009-11-02,1,BAFR,LD;AUT,CP,,,")
    import_id = uuid.uuid4()
    events_before = CaseEvent.objects.count()

    # when
    plan = run(cases_folder(tmp_path / "second", children=changed), import_id=import_id)

    # then
    assert plan.counts()["children.csv"] == {"new": 0, "changed": 1, "unchanged": 2}
    child.refresh_from_db()
    assert (child.care_status, child.version) == ("CP", 2)
    update = pghistory.models.Events.objects.tracks(child).get(pgh_label="update")
    assert update.pgh_diff["care_status"] == ["CIN", "CP"]
    assert update.pgh_context["import_id"] == str(import_id)
    assert update.pgh_context["source"] == "import_cases"
    # A change is in the history; only new records go on the chronology.
    assert CaseEvent.objects.count() == events_before


def test_only_the_changed_record_gets_a_history_row(tmp_path):
    run(cases_folder(tmp_path / "first"))
    history_before = history_count()
    changed = replace_line("referrals", 3, "R0002,C0002,2025-05-02,BOTH,2A,N,,,More concerns")

    run(cases_folder(tmp_path / "second", referrals=changed))

    assert history_count() == history_before + 1


def test_a_column_left_out_keeps_the_existing_values(tmp_path):
    # given: the child has aliases and a placement the next file does not mention
    run(cases_folder(tmp_path / "first"))
    text = "child_ref,first_name,last_name,date_of_birth,sex,ethnicity,care_status,legal_status\n"
    text += "C0001,Amelia,Hart-Jones,2010-05-14,2,WBRI,LAC,C2\n"

    # when
    run(cases_folder(tmp_path / "second", children=text, referrals=None, missing_episodes=None))

    # then
    amelia = Child.objects.get(child_ref="C0001")
    assert amelia.last_name == "Hart-Jones"
    assert amelia.known_as == ["Millie", "Mills"]
    assert amelia.placement_type == "K2"


def test_an_empty_cell_empties_the_field(tmp_path):
    run(cases_folder(tmp_path / "first"))
    text = replace_line("children", 2, "C0001,Amelia,Hart,,2010-05-14,2,WBRI,,LAC,C2,,")

    run(cases_folder(tmp_path / "second", children=text))

    amelia = Child.objects.get(child_ref="C0001")
    assert (amelia.known_as, amelia.placement_type) == ([], "")


def test_update_leaves_fields_outside_the_format_alone(tmp_path, team, social_worker):
    ChildFactory(child_ref="C0001", team=team, allocated_worker=social_worker, is_restricted=True)

    run(cases_folder(tmp_path))

    amelia = Child.objects.get(child_ref="C0001")
    assert (amelia.team, amelia.allocated_worker, amelia.is_restricted) == (
        team,
        social_worker,
        True,
    )
    assert amelia.first_name == "Amelia"


def test_referral_no_longer_looked_after_loses_its_placing_authority_and_lac_status(tmp_path):
    # given
    run(cases_folder(tmp_path / "first"))
    text = "referral_ref,child_ref,received_on,exploitation_type,source,looked_after\n"
    text += "R0003,C0003,2025-06-20,BOTH,5C,N\n"

    # when
    run(cases_folder(tmp_path / "second", children=None, referrals=text, missing_episodes=None))

    # then
    referral = Referral.objects.get(referral_ref="R0003")
    assert (referral.looked_after, referral.placing_authority, referral.care_status) == (
        False,
        "",
        "",
    )
    assert referral.legal_status == "V2"


def test_interview_time_is_added_changed_and_cleared(tmp_path):
    header = read_text("missing_episodes").splitlines()[0]
    base = "M0003,C0002,M,2025-06-01T18:00:00+01:00,2025-06-02T08:00,HIGH,Y,Y,"
    run(cases_folder(tmp_path / "a", missing_episodes=f"{header}\n{base}\n"))
    episode = MissingEpisode.objects.get(episode_ref="M0003")
    assert not ReturnInterview.objects.filter(episode=episode).exists()

    run(cases_folder(tmp_path / "b", missing_episodes=f"{header}\n{base}2025-06-03T10:00\n"))
    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.completed_at.hour == 9  # 10:00 British Summer Time
    assert CaseEvent.objects.filter(category="RHI", object_id=str(interview.pk)).exists()

    run(cases_folder(tmp_path / "c", missing_episodes=f"{header}\n{base}\n"))
    interview.refresh_from_db()
    assert (interview.completed_at, interview.version) == (None, 2)


def test_episode_can_move_to_another_child(tmp_path):
    run(cases_folder(tmp_path / "first"))
    text = replace_line("missing_episodes", 4, "M0003,C0003,M,2025-06-01T18:00:00+01:00,,HIGH,NA,,")

    run(cases_folder(tmp_path / "second", missing_episodes=text))

    assert MissingEpisode.objects.get(episode_ref="M0003").child.child_ref == "C0003"


def test_queries_do_not_grow_with_the_number_of_rows(tmp_path, django_assert_max_num_queries):
    # given: 300 children with a referral each, checked in one query per file
    children = [read_text("children").splitlines()[0]]
    referrals = [read_text("referrals").splitlines()[0]]
    for n in range(300):
        children.append(f"K{n:04},Test,Child{n},,2010-01-01,1,WBRI,,CIN,,,")
        referrals.append(f"Q{n:04},K{n:04},2025-01-02,CCE,6,N,,,")
    folder = cases_folder(
        tmp_path,
        children="\n".join(children) + "\n",
        referrals="\n".join(referrals) + "\n",
        missing_episodes=None,
    )

    # when / then
    with django_assert_max_num_queries(30):
        run(folder)
    assert Referral.objects.count() == 300
