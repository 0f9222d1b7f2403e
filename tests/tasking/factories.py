"""Tasking groups, memberships, subjects of concern and their links, shared by the tasking tests.

The factories keep the same invariant the group services keep: the chair and every current
member of a group belong to its audience (`AudienceMembership` "tasking:<group id>").
"""

import datetime

import factory
from django.utils import timezone

from cre_portal.accounts.models import Agency, AudienceMembership, User
from cre_portal.accounts.roles import Role
from tasking.models import (
    ChildSubjectLink,
    Grading,
    GroupMembership,
    LinkSource,
    SubjectAssociation,
    SubjectKind,
    SubjectOfConcern,
    TaskingGroup,
    Tier,
)
from tests.accounts.factories import UserFactory, plain_name
from tests.referrals.factories import ChildFactory


def group_audience(group: TaskingGroup) -> str:
    return f"tasking:{group.pk}"


def tasking_chair(**kwargs) -> User:
    """A user holding the tasking chair role."""
    return UserFactory(roles=[Role.TASKING_CHAIR], **kwargs)


def partner_member(**kwargs) -> User:
    """A police officer holding the partner agency member role, in no council team."""
    return UserFactory(
        roles=[Role.PARTNER_MEMBER], **{"team": None, "agency": Agency.POLICE, **kwargs}
    )


class TaskingGroupFactory(factory.django.DjangoModelFactory):
    """An operational group; pass `tier` and `escalates_to` for the tiers above."""

    class Meta:
        model = TaskingGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Operational tasking group {n}")
    tier = Tier.OPERATIONAL
    chair = factory.SubFactory(UserFactory, roles=[Role.TASKING_CHAIR])
    cadence_days = 14

    @factory.post_generation
    def chair_audience(self, create, extracted, **kwargs):
        if create:
            AudienceMembership.objects.get_or_create(user=self.chair, audience=group_audience(self))


class GovernanceGroupFactory(TaskingGroupFactory):
    name = factory.Sequence(lambda n: f"Governance tasking group {n}")
    tier = Tier.GOVERNANCE


class StrategicGroupFactory(TaskingGroupFactory):
    name = factory.Sequence(lambda n: f"Strategic tasking group {n}")
    tier = Tier.STRATEGIC


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    """A current member (and so in the group's audience) unless `left_on` is given."""

    class Meta:
        model = GroupMembership
        skip_postgeneration_save = True

    group = factory.SubFactory(TaskingGroupFactory)
    user = factory.SubFactory(
        UserFactory, roles=[Role.PARTNER_MEMBER], team=None, agency=Agency.POLICE
    )
    has_covert_clearance = False
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    @factory.post_generation
    def audience(self, create, extracted, **kwargs):
        if create and self.left_on is None:
            AudienceMembership.objects.get_or_create(
                user=self.user, audience=group_audience(self.group)
            )


class SubjectOfConcernFactory(factory.django.DjangoModelFactory):
    """A place of concern, restricted (as every new subject is by default)."""

    class Meta:
        model = SubjectOfConcern

    kind = SubjectKind.PLACE
    name = factory.Sequence(lambda n: f"Flat {n}, Tower Court")
    address = factory.Sequence(lambda n: f"Flat {n}, Tower Court, Northtown")
    postcode = "NT1 2AB"
    is_restricted = True
    created_by = factory.SubFactory(UserFactory)


class PersonSubjectFactory(SubjectOfConcernFactory):
    kind = SubjectKind.PERSON
    name = plain_name()
    address = ""
    postcode = ""
    date_of_birth = datetime.date(1998, 5, 17)


class VehicleSubjectFactory(SubjectOfConcernFactory):
    kind = SubjectKind.VEHICLE
    name = "Black Audi A3"
    address = ""
    postcode = ""
    vehicle_registration = factory.Sequence(lambda n: f"AB{n % 100:02d} CDE")


class ChildSubjectLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildSubjectLink

    child = factory.SubFactory(ChildFactory)
    subject = factory.SubFactory(SubjectOfConcernFactory)
    source = LinkSource.INTELLIGENCE
    source_reference = "INT-0001"
    linked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    grading = Grading.REPORTED


class SubjectAssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectAssociation

    subject = factory.SubFactory(PersonSubjectFactory)
    other = factory.SubFactory(SubjectOfConcernFactory)
    source = LinkSource.INTELLIGENCE
    source_reference = "INT-0002"
    linked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    grading = Grading.SUSPECTED
