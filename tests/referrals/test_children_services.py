"""Adding and editing children: every guard, the chronology event and the write history."""

import datetime

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from cre_portal.accounts.models import Agency
from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.codes import CareStatus, LegalStatus
from referrals.models import Child
from referrals.services import children as services
from referrals.services.children import (
    child_create,
    child_update,
    earliest_date_of_birth,
    validate_date_of_birth,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_children import (
    RestrictedChildFactory,
    looked_after_fields,
    record_fields,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_manager():
    return UserFactory(team=None, roles=[Role.SERVICE_MANAGER])


# --- child_create ---------------------------------------------------------------------------------
def test_create_gives_a_case_reference_and_records_the_event(social_worker):
    # when
    child = child_create(actor=social_worker, **record_fields(team=social_worker.team))

    # then
    assert child.child_ref == "CRE-000001"
    assert child.search_text == "jayden smith cre-000001"
    event = CaseEvent.objects.get(child_id=child.pk)
    assert (event.category, event.verb, event.actor) == ("CHILD", "child_created", social_worker)
    assert event.summary == "Record added (Child in need)"
    assert "Jayden" not in event.summary


def test_create_numbers_after_the_highest_reference_in_use(social_worker):
    ChildFactory(child_ref="CRE-000041")
    ChildFactory(child_ref="CRE-000007")
    ChildFactory(child_ref="DEMO-99999")

    child = child_create(actor=social_worker, **record_fields(team=social_worker.team))

    assert child.child_ref == "CRE-000042"


def test_create_takes_the_next_reference_when_another_insert_took_it(social_worker, monkeypatch):
    # given: someone else committed CRE-000005 after our reference was worked out
    ChildFactory(child_ref="CRE-000005")
    proposals = iter(["CRE-000005", "CRE-000006"])
    monkeypatch.setattr(services, "_next_child_ref", lambda: next(proposals))

    # when
    child = child_create(actor=social_worker, **record_fields(team=social_worker.team))

    # then
    assert child.child_ref == "CRE-000006"
    assert Child.objects.filter(child_ref="CRE-000006").exists()


def test_create_gives_up_after_repeated_clashes(social_worker, monkeypatch):
    ChildFactory(child_ref="CRE-000005")
    monkeypatch.setattr(services, "_next_child_ref", lambda: "CRE-000005")

    with pytest.raises(IntegrityError):
        child_create(actor=social_worker, **record_fields(team=social_worker.team))


def test_create_is_written_to_the_history(social_worker):
    child = child_create(actor=social_worker, **record_fields(team=social_worker.team))

    event = pghistory.models.Events.objects.tracks(child).get()
    assert event.pgh_label == "insert"


def test_create_refused_without_the_capability(team):
    analyst = UserFactory(team=team, roles=[Role.ANALYST])

    with pytest.raises(PermissionDenied):
        child_create(actor=analyst, **record_fields(team=team))

    assert not Child.objects.exists()


def test_social_worker_cannot_create_a_restricted_record(social_worker):
    with pytest.raises(PermissionDenied):
        child_create(
            actor=social_worker, **record_fields(team=social_worker.team, is_restricted=True)
        )


def test_manager_can_create_a_restricted_record(team_manager):
    child = child_create(
        actor=team_manager, **record_fields(team=team_manager.team, is_restricted=True)
    )

    assert child.is_restricted


def test_social_worker_cannot_add_a_child_to_another_team(social_worker, other_team):
    with pytest.raises(PermissionDenied):
        child_create(actor=social_worker, **record_fields(team=other_team))


def test_manager_can_add_a_child_to_any_social_care_team(service_manager, other_team):
    worker = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])

    child = child_create(
        actor=service_manager, **record_fields(team=other_team, allocated_worker=worker)
    )

    assert (child.team, child.allocated_worker) == (other_team, worker)


def test_manager_cannot_allocate_a_child_to_a_partner_team(service_manager):
    police = TeamFactory(name="Police unit", agency=Agency.POLICE)

    with pytest.raises(ValidationError) as error:
        child_create(actor=service_manager, **record_fields(team=police))

    assert error.value.message_dict == {"team": ["Select a children's social care team"]}


def test_allocated_worker_must_be_in_the_childs_team(service_manager, team, other_team):
    outsider = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])

    with pytest.raises(ValidationError) as error:
        child_create(actor=service_manager, **record_fields(team=team, allocated_worker=outsider))

    assert "allocated_worker" in error.value.message_dict


def test_allocated_worker_must_be_active(service_manager, team):
    leaver = UserFactory(team=team, roles=[Role.SOCIAL_WORKER], is_active=False)

    with pytest.raises(ValidationError):
        child_create(actor=service_manager, **record_fields(team=team, allocated_worker=leaver))


def test_looked_after_child_needs_a_legal_status(social_worker):
    with pytest.raises(ValidationError) as error:
        child_create(
            actor=social_worker,
            **looked_after_fields(team=social_worker.team, legal_status=""),
        )

    assert error.value.message_dict == {"legal_status": ["Select the child's legal status"]}


def test_placement_details_are_dropped_for_a_child_not_looked_after(social_worker):
    child = child_create(
        actor=social_worker,
        **record_fields(team=social_worker.team, legal_status="C2", placing_authority="Elsewhere"),
    )

    assert (child.legal_status, child.placing_authority) == ("", "")


def test_placed_in_child_keeps_the_placing_authority(social_worker):
    child = child_create(
        actor=social_worker,
        **looked_after_fields(team=social_worker.team, placing_authority="Southdale Council"),
    )

    assert child.is_placed_in


@pytest.mark.parametrize(
    "date_of_birth",
    [timezone.localdate() + datetime.timedelta(days=1), datetime.date(1990, 1, 1)],
)
def test_date_of_birth_must_be_plausible(social_worker, date_of_birth):
    with pytest.raises(ValidationError) as error:
        child_create(
            actor=social_worker,
            **record_fields(team=social_worker.team, date_of_birth=date_of_birth),
        )

    assert "date_of_birth" in error.value.message_dict


def test_unknown_fields_are_refused(social_worker):
    with pytest.raises(TypeError):
        child_create(actor=social_worker, child_ref="MINE-1", **record_fields())


def test_earliest_date_of_birth_is_25_years_back():
    assert earliest_date_of_birth(datetime.date(2026, 3, 12)) == datetime.date(2001, 3, 12)
    assert earliest_date_of_birth(datetime.date(2028, 2, 29)) == datetime.date(2003, 2, 28)


def test_a_child_born_today_is_accepted():
    validate_date_of_birth(timezone.localdate())


# --- child_update ---------------------------------------------------------------------------------
def test_update_saves_and_records_field_labels_not_values(social_worker):
    # given
    child = ChildFactory(team=social_worker.team, first_name="Jayden")

    # when
    updated = child_update(
        child=child,
        actor=social_worker,
        expected_version=1,
        changes={"first_name": "Jaiden", "gender_identity": "Male"},
    )

    # then
    assert (updated.first_name, updated.version) == ("Jaiden", 2)
    assert "jaiden" in Child.objects.get(pk=child.pk).search_text
    event = CaseEvent.objects.get(child_id=child.pk)
    assert event.verb == "child_updated"
    assert event.summary == "Changed: first name, gender identity"
    history = pghistory.models.Events.objects.tracks(child).filter(pgh_label="update").get()
    assert history.pgh_diff["first_name"] == [child.first_name, "Jaiden"]


def test_update_without_changes_writes_nothing(social_worker):
    child = ChildFactory(team=social_worker.team)

    child_update(
        child=child,
        actor=social_worker,
        expected_version=1,
        changes={"first_name": child.first_name},
    )

    assert Child.objects.get(pk=child.pk).version == 1
    assert not CaseEvent.objects.exists()


def test_stale_update_is_refused_naming_what_changed(social_worker, team_manager):
    # given: both opened version 1; the manager saved first
    child = ChildFactory(team=social_worker.team)
    child_update(
        child=child,
        actor=team_manager,
        expected_version=1,
        changes={"placement_type": "K2", "care_status": CareStatus.LAC, "legal_status": "C2"},
    )
    stale_copy = Child.objects.get(pk=child.pk)
    stale_copy.version = 1

    # when
    with pytest.raises(StaleEdit) as error:
        child_update(
            child=stale_copy,
            actor=social_worker,
            expected_version=1,
            changes={"gender_identity": "Female"},
        )

    # then
    assert "care status" in error.value.message
    assert stale_copy.version == 2  # reloaded, so the user can save again
    assert Child.objects.get(pk=child.pk).gender_identity == ""
    assert CaseEvent.objects.filter(verb="child_updated").count() == 1


def test_update_refused_for_a_child_out_of_scope(social_worker, other_team):
    child = ChildFactory(team=other_team)

    with pytest.raises(PermissionDenied):
        child_update(
            child=child, actor=social_worker, expected_version=1, changes={"first_name": "X"}
        )


def test_social_worker_cannot_move_a_child_to_another_team(social_worker, other_team):
    child = ChildFactory(team=social_worker.team)

    with pytest.raises(PermissionDenied):
        child_update(
            child=child, actor=social_worker, expected_version=1, changes={"team": other_team}
        )

    assert Child.objects.get(pk=child.pk).team == social_worker.team


def test_social_worker_can_reallocate_within_the_team(social_worker, team):
    colleague = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    child = ChildFactory(team=team, allocated_worker=social_worker)

    updated = child_update(
        child=child,
        actor=social_worker,
        expected_version=1,
        changes={"allocated_worker": colleague},
    )

    assert updated.allocated_worker == colleague
    assert CaseEvent.objects.get().summary == "Changed: allocated worker"


def test_manager_moves_a_child_to_another_team_with_a_worker_there(team_manager, other_team):
    worker = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    child = ChildFactory(team=team_manager.team)

    updated = child_update(
        child=child,
        actor=team_manager,
        expected_version=1,
        changes={"team": other_team, "allocated_worker": worker},
    )

    assert (updated.team, updated.allocated_worker) == (other_team, worker)


def test_moving_team_needs_a_worker_from_the_new_team(team_manager, other_team):
    child = ChildFactory(team=team_manager.team, allocated_worker=team_manager)

    with pytest.raises(ValidationError) as error:
        child_update(
            child=child, actor=team_manager, expected_version=1, changes={"team": other_team}
        )

    assert "allocated_worker" in error.value.message_dict


def test_unrelated_edit_is_not_blocked_by_an_old_allocation(social_worker, other_team):
    # The worker has since moved team; editing something else must still work.
    mover = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    child = ChildFactory(team=social_worker.team, allocated_worker=mover)

    updated = child_update(
        child=child, actor=social_worker, expected_version=1, changes={"gender_identity": "Boy"}
    )

    assert updated.gender_identity == "Boy"


@pytest.mark.parametrize("restrict", [True, False])
def test_only_managers_set_or_clear_the_restriction(social_worker, team_manager, restrict):
    child = ChildFactory(team=social_worker.team, is_restricted=not restrict)
    change = {"is_restricted": restrict}

    with pytest.raises(PermissionDenied):
        child_update(child=child, actor=social_worker, expected_version=1, changes=change)
    updated = child_update(child=child, actor=team_manager, expected_version=1, changes=change)

    assert updated.is_restricted is restrict
    assert CaseEvent.objects.get().summary == "Changed: restriction"


def test_leaving_care_clears_the_placement(social_worker):
    child = ChildFactory(
        team=social_worker.team,
        care_status=CareStatus.LAC,
        legal_status=LegalStatus.V2,
        placing_authority="Southdale",
    )

    updated = child_update(
        child=child,
        actor=social_worker,
        expected_version=1,
        changes={"care_status": CareStatus.CIN},
    )

    assert (updated.legal_status, updated.placing_authority) == ("", "")
    assert CaseEvent.objects.get().summary == (
        "Changed: care status, legal status, placing authority"
    )


def test_update_keeps_the_rules_of_create(social_worker):
    child = ChildFactory(team=social_worker.team)

    with pytest.raises(ValidationError):
        child_update(
            child=child,
            actor=social_worker,
            expected_version=1,
            changes={"date_of_birth": timezone.localdate() + datetime.timedelta(days=3)},
        )


def test_restricted_child_in_scope_can_be_edited_by_social_worker(social_worker):
    child = RestrictedChildFactory(team=social_worker.team)

    updated = child_update(
        child=child, actor=social_worker, expected_version=1, changes={"gender_identity": "Girl"}
    )

    assert updated.is_restricted
