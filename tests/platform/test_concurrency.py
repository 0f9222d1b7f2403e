import pytest
from django.db import transaction

from cre_portal.concurrency import StaleEdit, save_versioned
from referrals.models import Child
from tests.referrals.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_save_with_the_current_version_bumps_it():
    child = ChildFactory(gender_identity="")

    child.gender_identity = "Non-binary"
    with transaction.atomic():
        save_versioned(child, expected_version=1, fields=["gender_identity"])

    assert Child.objects.values_list("version", "gender_identity").get(pk=child.pk) == (
        2,
        "Non-binary",
    )


def test_stale_save_is_refused_and_names_what_the_other_person_changed():
    child = ChildFactory()
    first = Child.objects.get(pk=child.pk)
    second = Child.objects.get(pk=child.pk)
    first.placement_type = "K2"
    with transaction.atomic():
        save_versioned(first, expected_version=1, fields=["placement_type"])

    second.gender_identity = "Female"
    with pytest.raises(StaleEdit) as error, transaction.atomic():
        save_versioned(second, expected_version=1, fields=["gender_identity"])

    assert error.value.changed_fields == ["placement type"]
    assert Child.objects.get(pk=child.pk).gender_identity == ""
