"""The figures beyond the contract: NRM steps, professionals' meetings and feedback answers."""

import datetime

import pytest

from referrals.models import Decision, NrmReferral
from reports.figures import corporate_parenting_figures
from risk_assessment.models import FeedbackLink, ProfessionalsMeeting
from tests.referrals.factories_nrm import NrmReferralFactory
from tests.reports.factories import HeldMeetingFactory, feedback_answered

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)
D = datetime.date
POSITIVE, NEGATIVE = Decision.POSITIVE, Decision.NEGATIVE
Respondent = FeedbackLink.Respondent


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def nrm(referred_on=None, reasonable=None, conclusive=None):
    """An NRM referral with each step given as (decision, date)."""
    fields = {"status": NrmReferral.Status.REFERRED, "referred_on": referred_on}
    if reasonable:
        fields |= {
            "reasonable_grounds_decision": reasonable[0],
            "reasonable_grounds_on": reasonable[1],
        }
    if conclusive:
        fields |= {
            "conclusive_grounds_decision": conclusive[0],
            "conclusive_grounds_on": conclusive[1],
        }
    return NrmReferralFactory(considered_on=D(2024, 9, 1), **fields)


def test_nrm_referrals_and_decisions_dated_in_the_period():
    nrm(D(2025, 4, 1), (POSITIVE, D(2025, 4, 5)), (POSITIVE, D(2025, 9, 30)))
    nrm(D(2025, 3, 28), (NEGATIVE, D(2025, 4, 2)))
    nrm(D(2025, 9, 29))
    NrmReferralFactory()  # considered, never referred
    nrm(D(2024, 10, 1), (POSITIVE, D(2024, 10, 5)), (NEGATIVE, D(2025, 6, 1)))
    nrm(D(2025, 9, 30), (NEGATIVE, D(2025, 10, 1)))

    assert corporate_parenting_figures(START, END)["nrm"] == {
        "referred": 3,
        "reasonable_grounds_positive": 1,
        "reasonable_grounds_negative": 1,
        "conclusive_grounds_positive": 1,
        "conclusive_grounds_negative": 1,
    }


def test_meetings_held_in_the_period_with_the_childs_voice():
    Status = ProfessionalsMeeting.Status
    HeldMeetingFactory(child_attended=True, parents_attended=True)
    HeldMeetingFactory(  # 23:30 on 30 September in London
        scheduled_for=utc(2025, 9, 30, 22, 30),
        child_views="",
        child_views_not_obtained="Too unwell to take part.",
        child_attended=False,
        parents_attended=True,
    )
    HeldMeetingFactory(scheduled_for=utc(2025, 3, 31, 23, 30))  # 00:30 on 1 April in London
    HeldMeetingFactory(scheduled_for=utc(2025, 9, 30, 23, 30))  # 1 October in London: out
    HeldMeetingFactory(status=Status.SCHEDULED, child_attended=True)
    HeldMeetingFactory(status=Status.CANCELLED)

    assert corporate_parenting_figures(START, END)["meetings"] == {
        "held": 3,
        "child_views_obtained": 2,
        "child_attended": 1,
        "parents_attended": 2,
    }


def test_feedback_answered_in_the_period_by_respondent_with_means_rounded_half_up():
    feedback_answered(utc(2025, 5, 1, 10), respondent=Respondent.CHILD, ratings=(4, 4, 3))
    feedback_answered(utc(2025, 6, 1, 10), respondent=Respondent.PARENT, ratings=(3, 2, 2))
    feedback_answered(utc(2025, 9, 30, 22, 30), respondent=Respondent.PARENT, ratings=(4, 3, 2))
    feedback_answered(utc(2025, 3, 31, 23, 30), respondent=Respondent.CARER, ratings=(2, 4, 4))
    feedback_answered(utc(2025, 9, 30, 23, 30), respondent=Respondent.CARER, ratings=(1, 1, 1))

    assert corporate_parenting_figures(START, END)["feedback"] == {
        "responses": 4,
        "by_respondent": {"CHILD": 1, "PARENT": 2, "CARER": 1},
        # 13/4 = 3.25 goes up to 3.3 (Python's round() gives 3.2); 11/4 = 2.75 to 2.8.
        "mean_score": {"listened_to": 3.3, "understood": 3.3, "helped": 2.8},
    }


def test_no_feedback_has_no_means():
    feedback = corporate_parenting_figures(START, END)["feedback"]

    assert feedback["mean_score"] == {"listened_to": None, "understood": None, "helped": None}
