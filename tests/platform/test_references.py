import pytest
from django.db import IntegrityError

from cre_portal.accounts.models import Team
from cre_portal.references import insert_with_free_reference

pytestmark = pytest.mark.django_db


def test_takes_the_next_reference_when_another_insert_took_one():
    Team.objects.create(name="T-1", agency="CSC")
    proposals = iter(["T-1", "T-2"])
    team = Team(agency="CSC")

    insert_with_free_reference(team, field="name", next_reference=lambda: next(proposals))

    assert Team.objects.filter(pk=team.pk, name="T-2").exists()


def test_gives_up_after_repeated_clashes():
    Team.objects.create(name="T-1", agency="CSC")

    with pytest.raises(IntegrityError, match="no free team reference"):
        insert_with_free_reference(Team(agency="CSC"), field="name", next_reference=lambda: "T-1")
