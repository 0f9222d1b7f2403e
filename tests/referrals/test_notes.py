import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry, CaseEvent
from referrals.models import CaseNote
from referrals.services.notes import case_note_create
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import CaseNoteFactory

pytestmark = pytest.mark.django_db


def _note(child, actor, **overrides):
    args = {
        "child": child,
        "actor": actor,
        "occurred_at": timezone.now() - datetime.timedelta(hours=1),
        "title": "Home visit",
        "text": "Seen at home with mum. New trainers, would not say where from.",
        "is_significant": False,
    }
    return case_note_create(**(args | overrides))


# --- Service ----------------------------------------------------------------------------------
def test_note_is_written_with_a_chronology_event_titled_by_the_worker(social_worker):
    # given
    child = ChildFactory(team=social_worker.team)
    when = timezone.now() - datetime.timedelta(days=2)

    # when
    note = _note(child, social_worker, occurred_at=when, is_significant=True)

    # then
    assert (note.author, note.child, note.is_significant) == (social_worker, child, True)
    event = CaseEvent.objects.get()
    assert (event.category, event.verb, event.summary) == ("NOTE", "case_note_added", "Home visit")
    assert (event.object_type, event.object_id) == ("referrals.casenote", str(note.pk))
    assert (event.occurred_at, event.is_significant, event.actor) == (when, True, social_worker)
    assert "trainers" not in event.summary


def test_note_about_the_future_is_refused(social_worker):
    child = ChildFactory(team=social_worker.team)

    with pytest.raises(ValidationError):
        _note(child, social_worker, occurred_at=timezone.now() + datetime.timedelta(hours=1))

    assert not CaseNote.objects.exists()
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("field", ["title", "text"])
def test_note_needs_a_title_and_text(social_worker, field):
    child = ChildFactory(team=social_worker.team)

    with pytest.raises(ValidationError) as error:
        _note(child, social_worker, **{field: "  "})

    assert field in error.value.error_dict


def test_note_refused_on_a_child_the_actor_cannot_see(social_worker, other_team):
    with pytest.raises(PermissionDenied):
        _note(ChildFactory(team=other_team), social_worker)


def test_note_refused_to_a_role_without_the_capability(team):
    director = UserFactory(team=team, roles=[Role.DIRECTOR])

    with pytest.raises(PermissionDenied):
        _note(ChildFactory(team=team), director)


def test_note_history_is_kept(social_worker):
    note = _note(ChildFactory(team=social_worker.team), social_worker)

    assert CaseNote.pgh_event_model.objects.filter(pgh_obj=note).count() == 1


# --- Pages --------------------------------------------------------------------------------------
def _post(**overrides):
    when = timezone.localtime() - datetime.timedelta(days=1)
    data = {
        "occurred_on_0": when.day,
        "occurred_on_1": when.month,
        "occurred_on_2": when.year,
        "occurred_time": "2:30pm",
        "title": "Strategy discussion",
        "text": "Police shared intelligence about a vehicle.",
        "is_significant": "on",
    }
    return data | overrides


def test_note_form_tells_the_worker_to_keep_names_out_of_the_title(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).get(reverse("referrals:case_note_create", args=[child.pk]))

    assert response.status_code == 200
    assert "referrals/case_note_form.html" in [t.name for t in response.templates]
    assert "do not put names in it" in response.content.decode()


def test_adding_a_note_goes_to_the_chronology(signed_in, social_worker):
    # given
    child = ChildFactory(team=social_worker.team)
    client = signed_in(social_worker)

    # when
    response = client.post(reverse("referrals:case_note_create", args=[child.pk]), _post())

    # then
    assert response["Location"] == reverse("referrals:child_chronology", args=[child.pk])
    note = CaseNote.objects.get()
    local = timezone.localtime(note.occurred_at)
    assert (local.hour, local.minute, note.is_significant) == (14, 30, True)
    page = client.get(response["Location"]).content.decode()
    assert "Case note added" in page
    assert "Police shared intelligence about a vehicle." in page


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", (14, 30)),
        ("14.30", (14, 30)),
        ("9am", (9, 0)),
        ("12:05am", (0, 5)),
        ("12pm", (12, 0)),
    ],
)
def test_times_are_accepted_as_people_write_them(signed_in, social_worker, typed, expected):
    child = ChildFactory(team=social_worker.team)

    signed_in(social_worker).post(
        reverse("referrals:case_note_create", args=[child.pk]), _post(occurred_time=typed)
    )

    local = timezone.localtime(CaseNote.objects.get().occurred_at)
    assert (local.hour, local.minute) == expected


@pytest.mark.parametrize("typed", ["25:00", "13pm", "noonish", "9:75"])
def test_impossible_times_are_refused(signed_in, social_worker, typed):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).post(
        reverse("referrals:case_note_create", args=[child.pk]), _post(occurred_time=typed)
    )

    assert "Enter a real time, for example 14:30 or 2:30pm" in response.content.decode()
    assert not CaseNote.objects.exists()


def test_note_form_errors_keep_the_input(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).post(
        reverse("referrals:case_note_create", args=[child.pk]), _post(title="", occurred_time="")
    )

    page = response.content.decode()
    assert "<title>Error: Add a case note" in page
    assert "Enter a title" in page
    assert "Enter the time it happened" in page
    assert "Police shared intelligence about a vehicle." in page


def test_note_in_the_future_is_refused_on_the_form(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    later = timezone.localtime() + datetime.timedelta(days=1)

    response = signed_in(social_worker).post(
        reverse("referrals:case_note_create", args=[child.pk]),
        _post(occurred_on_0=later.day, occurred_on_1=later.month, occurred_on_2=later.year),
    )

    assert "Date of the event must be today or in the past" in response.content.decode()


def test_note_on_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)

    response = signed_in(social_worker).post(
        reverse("referrals:case_note_create", args=[child.pk]), _post()
    )

    assert response.status_code == 404
    assert not CaseNote.objects.exists()


def test_note_page_shows_the_note_and_logs_the_read(signed_in, social_worker):
    note = CaseNoteFactory(child__team=social_worker.team, text="Went to the park.")

    response = signed_in(social_worker).get(reverse("referrals:case_note_detail", args=[note.pk]))

    assert response.status_code == 200
    assert "Went to the park." in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.child_id) == ("referrals.casenote", note.child.pk)


def test_note_of_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    note = CaseNoteFactory(child__team=other_team)

    response = signed_in(social_worker).get(reverse("referrals:case_note_detail", args=[note.pk]))

    assert response.status_code == 404


def test_a_time_later_today_is_refused(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    later = timezone.localtime() + datetime.timedelta(minutes=5)

    response = signed_in(social_worker).post(
        reverse("referrals:case_note_create", args=[child.pk]),
        _post(
            occurred_on_0=later.day,
            occurred_on_1=later.month,
            occurred_on_2=later.year,
            occurred_time=f"{later:%H:%M}",
        ),
    )

    page = response.content.decode()
    # Just before midnight the five minutes reach tomorrow, and the date is what is wrong.
    assert "The time must be now or in the past" in page or "must be today or in the past" in page
    assert not CaseNote.objects.exists()


def test_seeing_a_child_is_not_enough_to_add_a_note(signed_in, team):
    viewer = UserFactory(team=team)
    viewer.user_permissions.add(Permission.objects.get(codename="view_team_children"))
    child = ChildFactory(team=team)

    response = signed_in(viewer).get(reverse("referrals:case_note_create", args=[child.pk]))

    assert response.status_code == 403


def test_service_refusal_without_a_field_shows_in_the_summary(
    signed_in, social_worker, monkeypatch
):
    child = ChildFactory(team=social_worker.team)

    def refuse(**kwargs):
        raise ValidationError({"occurred_at": "The note must be about something that has happened"})

    monkeypatch.setattr("referrals.views.chronology.case_note_create", refuse)

    response = signed_in(social_worker).post(
        reverse("referrals:case_note_create", args=[child.pk]), _post()
    )

    assert "The note must be about something that has happened" in response.content.decode()
