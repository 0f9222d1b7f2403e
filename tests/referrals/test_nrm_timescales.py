"""The NRM clocks: 5 working days to a reasonable grounds decision, England bank holidays, and how
the lists say how long is left. Expected dates are counted by hand in the comments."""

import datetime

import pytest

from referrals.models import NrmReferral
from referrals.views.nrm import relative_due, waiting_for, working_days_between
from tests.referrals.factories_nrm import (
    NrmReferralFactory,
    RecoveryNrmReferralFactory,
    ReferredNrmReferralFactory,
    WithdrawnNrmReferralFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("referred_on", "due_on"),
    [
        # Thu 24 Dec 2026: Fri 25 Christmas Day; Sat 26, Sun 27; Mon 28 Boxing Day (substitute,
        # 26th is a Saturday); Tue 29 (1), Wed 30 (2), Thu 31 (3); Fri 1 Jan 2027 New Year's
        # Day; Sat 2, Sun 3; Mon 4 (4), Tue 5 Jan 2027 (5).
        (D(2026, 12, 24), D(2027, 1, 5)),
        # Fri 27 Mar 2026, the Friday before Easter: Mon 30 (1), Tue 31 (2), Wed 1 Apr (3),
        # Thu 2 Apr (4); Good Friday 3 Apr, Sat 4, Sun 5, Easter Monday 6 Apr; Tue 7 Apr (5).
        (D(2026, 3, 27), D(2026, 4, 7)),
        # Thu 2 Apr 2026, the day before Good Friday: Fri 3 to Mon 6 are not working days;
        # Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 Apr (5).
        (D(2026, 4, 2), D(2026, 4, 13)),
        # An ordinary week: Thu 26 Nov 2026: Fri 27 (1), Mon 30 (2), Tue 1 (3), Wed 2 (4),
        # Thu 3 Dec (5).
        (D(2026, 11, 26), D(2026, 12, 3)),
        # Referred on a Saturday: the count starts on Monday. Sat 2 May 2026; Mon 4 May is the
        # Early May bank holiday; Tue 5 (1), Wed 6 (2), Thu 7 (3), Fri 8 (4), Mon 11 May (5).
        (D(2026, 5, 2), D(2026, 5, 11)),
    ],
)
def test_reasonable_grounds_due_five_working_days_after_referral(referred_on, due_on):
    nrm = ReferredNrmReferralFactory(referred_on=referred_on, considered_on=referred_on)

    assert NrmReferral.objects.get(pk=nrm.pk).reasonable_grounds_due_on == due_on


def test_recovery_period_ends_30_days_after_a_positive_decision():
    nrm = RecoveryNrmReferralFactory(reasonable_grounds_on=D(2026, 12, 10))

    # 10 December + 30 days = 9 January 2027.
    assert NrmReferral.objects.get(pk=nrm.pk).recovery_period_ends_on == D(2027, 1, 9)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2026, 12, 1), D(2026, 12, 3), 2),  # Tue to Thu
        (D(2026, 12, 3), D(2026, 12, 3), 0),
        (D(2026, 12, 24), D(2027, 1, 5), 5),  # over Christmas and New Year, as above
        (D(2026, 12, 4), D(2026, 12, 6), 0),  # Fri to Sun
        (D(2026, 12, 4), D(2026, 12, 7), 1),  # Fri to Mon
    ],
)
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


@pytest.mark.parametrize(
    ("due", "today", "text"),
    [
        (D(2026, 12, 3), D(2026, 12, 1), "in 2 working days"),
        (D(2026, 12, 3), D(2026, 12, 2), "in 1 working day"),
        (D(2026, 12, 3), D(2026, 12, 3), "today"),
        (D(2026, 12, 3), D(2026, 12, 4), "overdue by 1 working day"),
        (D(2026, 12, 3), D(2026, 12, 8), "overdue by 3 working days"),
        # Due Friday, looked at on Saturday: late, though no working day has gone by.
        (D(2026, 12, 4), D(2026, 12, 5), "overdue"),
        # Due Tue 5 Jan 2027 and looked at on Christmas Eve: 5 working days to go.
        (D(2027, 1, 5), D(2026, 12, 24), "in 5 working days"),
    ],
)
def test_relative_due(due, today, text):
    assert relative_due(due, today) == text


def test_waiting_for_a_reasonable_grounds_decision():
    # Referred Thu 26 Nov 2026: due Thu 3 Dec 2026 (counted above).
    nrm = ReferredNrmReferralFactory(referred_on=D(2026, 11, 26), considered_on=D(2026, 11, 26))

    soon = waiting_for(nrm, today=D(2026, 12, 1))
    late = waiting_for(nrm, today=D(2026, 12, 4))

    assert soon.text == "Reasonable grounds decision due 3 December 2026 (in 2 working days)"
    assert not soon.overdue
    assert late.text == "Reasonable grounds decision due 3 December 2026 (overdue by 1 working day)"
    assert late.overdue


def test_waiting_for_in_the_other_states():
    today = D(2026, 7, 1)

    assert waiting_for(NrmReferralFactory(), today).text == "Referral not yet made"
    assert waiting_for(RecoveryNrmReferralFactory(), today).text == (
        "Conclusive grounds decision (no target date); recovery period to 2 May 2026"
    )
    assert waiting_for(WithdrawnNrmReferralFactory(), today) is None
