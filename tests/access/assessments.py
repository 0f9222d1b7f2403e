"""Access rules for the risk assessment and assessment template pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.
"""

from tests.access.personas import (
    ADMINISTRATOR,
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
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_assessments import (
    AssessmentFactory,
    IndicatorFactory,
    PublishedTemplateFactory,
    SubmittedAssessmentFactory,
    TemplateFactory,
    small_template,
)

# An assessment is seen by whoever sees its child: social worker and team manager for their
# team's children (and those allocated to them); service manager, CP manager and missing-team
# officer for every child.
SEES_TEAM_A = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER})
SEES_TEAM_B = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER})
# Starting, answering and submitting: social workers and the three managers, for children they
# see. The missing-team officer sees the assessment but may not write it (403, not 404).
COMPLETES_TEAM_A = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER})
COMPLETES_TEAM_B = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER})
# Approving or returning: the three managers, for children they see, and never their own (the
# matrix's assessment was written and submitted by someone who is none of the personas).
APPROVES_TEAM_A = frozenset({TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER})
APPROVES_TEAM_B = frozenset({SERVICE_MANAGER, CP_MANAGER})
# The template is not about a child: those who complete, approve or publish assessments read
# every version (the other team's social worker included); only administrators change them.
READS_TEMPLATES = frozenset(
    {SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, OTHER_TEAM_SOCIAL_WORKER}
    | {ADMINISTRATOR}
)
KEEPS_TEMPLATES = frozenset({ADMINISTRATOR})

# The "out of scope" template is a published version: editing it redirects the administrator
# back to it (a success for the matrix); the "in scope" one is a draft.
TEMPLATE_EDITING = Rule(KEEPS_TEMPLATES, KEEPS_TEMPLATES, obj="assessment_template")
INDICATOR_EDITING = Rule(KEEPS_TEMPLATES, KEEPS_TEMPLATES, obj="template_indicator")

EXPECTATIONS: dict[str, Rule] = {
    "risk_assessment:child_assessments": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="child"),
    "risk_assessment:assessment_chart": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="child"),
    "risk_assessment:assessment_start": Rule(COMPLETES_TEAM_A, COMPLETES_TEAM_B, obj="child"),
    "risk_assessment:assessment_detail": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="assessment"),
    "risk_assessment:assessment_edit": Rule(COMPLETES_TEAM_A, COMPLETES_TEAM_B, obj="assessment"),
    "risk_assessment:assessment_submit": Rule(COMPLETES_TEAM_A, COMPLETES_TEAM_B, obj="assessment"),
    "risk_assessment:assessment_approve": Rule(
        APPROVES_TEAM_A, APPROVES_TEAM_B, obj="submitted_assessment"
    ),
    "risk_assessment:assessment_return": Rule(
        APPROVES_TEAM_A, APPROVES_TEAM_B, obj="submitted_assessment"
    ),
    "risk_assessment:template_list": Rule(READS_TEMPLATES),
    # POST only; with a draft already there it redirects with a message, still a success.
    "risk_assessment:template_new_version": Rule(KEEPS_TEMPLATES, post_only=True),
    "risk_assessment:template_detail": Rule(
        READS_TEMPLATES, READS_TEMPLATES, obj="assessment_template"
    ),
    "risk_assessment:template_edit": TEMPLATE_EDITING,
    "risk_assessment:template_publish": TEMPLATE_EDITING,
    "risk_assessment:template_indicator_add": TEMPLATE_EDITING,
    "risk_assessment:template_indicator_edit": INDICATOR_EDITING,
    "risk_assessment:template_indicator_remove": INDICATOR_EDITING,
}


def _team_children(users: dict) -> tuple:
    social_worker = users[SOCIAL_WORKER]
    return (
        ChildFactory(team=social_worker.team, allocated_worker=social_worker),
        ChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team),
    )


def _assessments(users: dict) -> dict:
    child_a, child_b = _team_children(users)
    author = UserFactory()
    return {
        IN_SCOPE: AssessmentFactory(child=child_a, created_by=author),
        OUT_OF_SCOPE: AssessmentFactory(child=child_b, created_by=author),
    }


def _submitted_assessments(users: dict) -> dict:
    child_a, child_b = _team_children(users)
    author = UserFactory()
    return {
        IN_SCOPE: SubmittedAssessmentFactory(child=child_a, created_by=author),
        OUT_OF_SCOPE: SubmittedAssessmentFactory(child=child_b, created_by=author),
    }


def _templates(users: dict) -> dict:
    draft = TemplateFactory()
    IndicatorFactory(template=draft)
    return {IN_SCOPE: draft, OUT_OF_SCOPE: small_template()}


def _indicators(users: dict) -> dict:
    return {
        IN_SCOPE: IndicatorFactory(template=TemplateFactory()),
        OUT_OF_SCOPE: IndicatorFactory(template=PublishedTemplateFactory()),
    }


OBJECT_KINDS: dict[str, ObjectKind] = {
    "assessment": ObjectKind(build=_assessments, detail_url="risk_assessment:assessment_detail"),
    "submitted_assessment": ObjectKind(
        build=_submitted_assessments, detail_url="risk_assessment:assessment_detail"
    ),
    "assessment_template": ObjectKind(
        build=_templates, detail_url="risk_assessment:template_detail"
    ),
    # Indicators have no page of their own: whoever reads the template sees them.
    "template_indicator": ObjectKind(
        build=_indicators, detail_url="risk_assessment:template_detail"
    ),
}
