import pytest

from cre_portal.accounts.models import AudienceMembership
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    GroupMembershipFactory,
    SubjectAssociationFactory,
    TaskingGroupFactory,
    VehicleSubjectFactory,
)

pytestmark = pytest.mark.django_db


def test_factories_build_consistent_rows():
    group = TaskingGroupFactory()
    membership = GroupMembershipFactory(group=group)
    link = ChildSubjectLinkFactory()
    SubjectAssociationFactory(other=link.subject)
    vehicle = VehicleSubjectFactory(vehicle_registration="AB12 CDE")

    audiences = set(AudienceMembership.objects.values_list("user_id", "audience"))
    assert (group.chair_id, f"tasking:{group.pk}") in audiences
    assert (membership.user_id, f"tasking:{group.pk}") in audiences
    assert "ab12cde" in vehicle.search_text
