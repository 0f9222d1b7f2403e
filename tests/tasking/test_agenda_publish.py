"""The chair's edits of a draft agenda, and publishing it: escalations, sharing, chronology."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.models import ChildShare
from referrals.permissions.children import visible_children
from tasking.models import AgendaItem, Escalation, TaskingMeeting
from tasking.services.agenda import agenda_item_add, agenda_item_update, agenda_publish
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import GroupMembershipFactory, StrategicGroupFactory
from tests.tasking.factories_meetings import (
    AgendaItemFactory,
    EscalationFactory,
    TaskingMeetingFactory,
    put_on_agenda,
)

pytestmark = pytest.mark.django_db
Status = TaskingMeeting.Status


@pytest.fixture
def meeting():
    return TaskingMeetingFactory()


def chair(meeting):
    return meeting.group.chair


# --- Editing the draft ----------------------------------------------------------------------------
def test_chair_rewords_leaves_off_and_moves_an_item(meeting):
    # given
    first, second, third = (AgendaItemFactory(meeting=meeting) for _ in range(3))

    # when
    agenda_item_update(
        item=third,
        title="C100001: discuss with the school",
        is_included=False,
        number=1,
        version=meeting.version,
        actor=chair(meeting),
    )

    # then
    order = list(meeting.agenda_items.order_by("position"))
    assert order == [third, first, second]
    third.refresh_from_db()
    assert (third.title, third.is_included) == ("C100001: discuss with the school", False)


def test_an_edit_based_on_a_stale_agenda_is_refused(meeting):
    item = AgendaItemFactory(meeting=meeting)
    loaded = meeting.version
    agenda_item_update(
        item=item, title="First", is_included=True, number=1, version=loaded, actor=chair(meeting)
    )

    with pytest.raises(StaleEdit):
        agenda_item_update(
            item=item,
            title="Second",
            is_included=True,
            number=1,
            version=loaded,
            actor=chair(meeting),
        )
    item.refresh_from_db()
    assert item.title == "First"


def test_chair_adds_an_item_of_their_own_at_the_end(meeting):
    AgendaItemFactory(meeting=meeting, position=50)

    item = agenda_item_add(meeting=meeting, title="  Peer group theme  ", actor=chair(meeting))

    assert (item.kind, item.title, item.position) == (AgendaItem.Kind.OTHER, "Peer group theme", 60)


def test_an_item_needs_a_title(meeting):
    with pytest.raises(ValidationError) as error:
        agenda_item_add(meeting=meeting, title="  ", actor=chair(meeting))

    assert error.value.message_dict == {"title": ["Enter the title of the item"]}


def test_a_member_cannot_edit_the_agenda(meeting):
    member = GroupMembershipFactory(group=meeting.group).user

    with pytest.raises(PermissionDenied):
        agenda_item_add(meeting=meeting, title="Mine", actor=member)


def test_the_published_agenda_cannot_be_edited(meeting):
    item = AgendaItemFactory(meeting=meeting)
    agenda_publish(meeting=meeting, actor=chair(meeting))

    with pytest.raises(ValidationError):
        agenda_item_add(meeting=meeting, title="Late", actor=chair(meeting))
    with pytest.raises(ValidationError):
        agenda_item_update(
            item=item, title="x", is_included=True, number=1, version=2, actor=chair(meeting)
        )


# --- Publishing -----------------------------------------------------------------------------------
def test_publishing_shares_the_children_on_included_items(meeting):
    # given
    on, off = ChildFactory(), ChildFactory()
    put_on_agenda(meeting, child=on)
    put_on_agenda(meeting, child=off, is_included=False)
    partner = GroupMembershipFactory(group=meeting.group).user
    assert not visible_children(partner).filter(pk=on.pk).exists()

    # when
    published = agenda_publish(meeting=meeting, actor=chair(meeting))

    # then
    assert published.status == Status.PUBLISHED
    assert published.agenda_published_at is not None
    audience = f"tasking:{meeting.group.pk}"
    assert list(ChildShare.objects.filter(audience=audience).values_list("child", flat=True)) == [
        on.pk
    ]
    assert list(visible_children(partner)) == [on]


def test_publishing_records_the_agenda_on_each_childs_chronology(meeting):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)

    agenda_publish(meeting=meeting, actor=chair(meeting))

    event = CaseEvent.objects.get(child_id=child.pk)
    assert event.verb == "tasking_agenda"
    assert event.summary.startswith("On the agenda of the operational tasking meeting of ")
    assert child.full_name not in event.summary


def test_publishing_puts_received_escalations_on_the_agenda():
    # given
    strategic = StrategicGroupFactory()
    meeting = TaskingMeetingFactory(group=strategic)
    escalation = EscalationFactory(to_group=strategic, child=ChildFactory())
    left_off = EscalationFactory(to_group=strategic, child=ChildFactory())
    AgendaItemFactory(meeting=meeting, kind="ESCALATION", escalation=escalation)
    AgendaItemFactory(meeting=meeting, kind="ESCALATION", escalation=left_off, is_included=False)

    # when
    agenda_publish(meeting=meeting, actor=chair(meeting))

    # then
    escalation.refresh_from_db()
    left_off.refresh_from_db()
    assert escalation.status == Escalation.Status.ON_AGENDA
    assert left_off.status == Escalation.Status.RAISED


def test_an_empty_agenda_is_not_published(meeting):
    AgendaItemFactory(meeting=meeting, is_included=False)

    with pytest.raises(ValidationError) as error:
        agenda_publish(meeting=meeting, actor=chair(meeting))

    assert error.value.messages == ["Add at least one item to the agenda before publishing it"]


def test_an_agenda_is_published_once(meeting):
    AgendaItemFactory(meeting=meeting)
    agenda_publish(meeting=meeting, actor=chair(meeting))

    with pytest.raises(ValidationError):
        agenda_publish(meeting=meeting, actor=chair(meeting))


def test_only_the_chair_publishes(meeting, admin_user):
    AgendaItemFactory(meeting=meeting)

    with pytest.raises(PermissionDenied):
        agenda_publish(meeting=meeting, actor=admin_user)
