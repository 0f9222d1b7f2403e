import datetime

import pytest
from django.utils import timezone

from reports.figures import corporate_parenting_figures
from reports.suppression import suppress
from tasking.models import Action, Tactic
from tests.tasking.factories_meetings import ActionFactory, CovertActionFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 4, 1), datetime.date(2026, 9, 30)


def made_on(action, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Action.objects.filter(pk=action.pk).update(created_at=moment)


def test_immediate_actions_are_counted_by_tactic_and_status():
    for tactic in [Tactic.LOCATIONS] * 5 + [Tactic.VICTIM_CARE]:
        made_on(ActionFactory(tactic=tactic), datetime.date(2026, 5, 1))
    made_on(ActionFactory(tactic=Tactic.LOCATIONS), datetime.date(2026, 10, 1))  # after the end

    tasking = corporate_parenting_figures(START, END)["tasking"]

    assert tasking["immediate_actions"] == 6
    assert tasking["actions_by_tactic"][Tactic.LOCATIONS] == 5
    assert tasking["actions_by_tactic"][Tactic.VICTIM_CARE] == 1


def test_covert_actions_are_never_counted():
    made_on(CovertActionFactory(tactic=Tactic.LOCATIONS), datetime.date(2026, 5, 1))

    tasking = corporate_parenting_figures(START, END)["tasking"]

    assert tasking["immediate_actions"] == 0
    assert sum(tasking["actions_by_tactic"].values()) == 0
    assert sum(tasking["actions_by_status"].values()) == 0


def test_a_single_small_tactic_is_protected_by_secondary_suppression():
    for tactic in [Tactic.LOCATIONS] * 6 + [Tactic.VICTIM_CARE] * 2:
        made_on(ActionFactory(tactic=tactic), datetime.date(2026, 5, 1))

    public = suppress(corporate_parenting_figures(START, END))["tasking"]

    assert public["actions_by_tactic"][Tactic.VICTIM_CARE] == "<5"
    assert public["actions_by_tactic"][Tactic.LOCATIONS] == "[c]"
