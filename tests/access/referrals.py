"""Access rules for the referrals, case-note and chronology pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.
"""

from tests.access.personas import (
    CP_MANAGER,
    IN_SCOPE,
    MISSING_OFFICER,
    OTHER_TEAM_SOCIAL_WORKER,
    OUT_OF_SCOPE,
    SERVICE_MANAGER,
    SOCIAL_WORKER,
    TEAM_MANAGER,
    ObjectKind,
    Rule,
)
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import (
    AcceptedReferralFactory,
    CaseNoteFactory,
    ReferralFactory,
)

# Who can open a child's record (and so its referrals, notes and chronology): the team-A
# social worker and team manager for a team-A child; service and CP managers and the missing
# team for any child; the team-B social worker for a team-B child.
SEES_TEAM_A = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER})
SEES_TEAM_B = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER})

# Recording referrals and case notes: everyone who holds a case (social workers, the three
# managers, the missing team), on children they can see.
RECORDS_TEAM_A = SEES_TEAM_A
RECORDS_TEAM_B = SEES_TEAM_B

# Screening, allocating and closing: the team manager for their team's children, the service
# and CP managers for any child. Never social workers or the missing team.
MANAGES_TEAM_A = frozenset({TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER})
MANAGES_TEAM_B = frozenset({SERVICE_MANAGER, CP_MANAGER})

EXPECTATIONS: dict[str, Rule] = {
    # The child's Referrals tab and chronology: whoever can open the child.
    "referrals:child_referrals": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="child"),
    "referrals:child_chronology": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="child"),
    "referrals:referral_create": Rule(RECORDS_TEAM_A, RECORDS_TEAM_B, obj="child"),
    "referrals:case_note_create": Rule(RECORDS_TEAM_A, RECORDS_TEAM_B, obj="child"),
    # A referral (awaiting screening) opens for whoever can open its child.
    "referrals:referral_detail": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="referral"),
    "referrals:referral_edit": Rule(RECORDS_TEAM_A, RECORDS_TEAM_B, obj="referral"),
    "referrals:referral_screen": Rule(MANAGES_TEAM_A, MANAGES_TEAM_B, obj="referral"),
    "referrals:referral_allocate": Rule(MANAGES_TEAM_A, MANAGES_TEAM_B, obj="referral"),
    # Only an accepted referral can be closed, so this one is tried on an accepted referral.
    "referrals:referral_close": Rule(MANAGES_TEAM_A, MANAGES_TEAM_B, obj="accepted_referral"),
    # The screening queue: managers only (each sees the referrals of children they can open).
    "referrals:referral_list": Rule(MANAGES_TEAM_A),
    "referrals:case_note_detail": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="case_note"),
}


def _team_children(users: dict) -> tuple:
    social_worker = users[SOCIAL_WORKER]
    return (
        ChildFactory(team=social_worker.team, allocated_worker=social_worker),
        ChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team),
    )


def _referrals(users: dict) -> dict:
    child_a, child_b = _team_children(users)
    return {IN_SCOPE: ReferralFactory(child=child_a), OUT_OF_SCOPE: ReferralFactory(child=child_b)}


def _accepted_referrals(users: dict) -> dict:
    child_a, child_b = _team_children(users)
    return {
        IN_SCOPE: AcceptedReferralFactory(child=child_a),
        OUT_OF_SCOPE: AcceptedReferralFactory(child=child_b),
    }


def _case_notes(users: dict) -> dict:
    child_a, child_b = _team_children(users)
    return {
        IN_SCOPE: CaseNoteFactory(child=child_a, author=users[SOCIAL_WORKER]),
        OUT_OF_SCOPE: CaseNoteFactory(child=child_b, author=users[OTHER_TEAM_SOCIAL_WORKER]),
    }


OBJECT_KINDS = {
    "referral": ObjectKind(build=_referrals, detail_url="referrals:referral_detail"),
    "accepted_referral": ObjectKind(
        build=_accepted_referrals, detail_url="referrals:referral_detail"
    ),
    "case_note": ObjectKind(build=_case_notes, detail_url="referrals:case_note_detail"),
}
