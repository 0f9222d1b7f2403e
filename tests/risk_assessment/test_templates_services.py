"""Template versions: copy the current one, edit the draft, publish; published never changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cre_portal.accounts.roles import Role
from cre_portal.concurrency import StaleEdit
from referrals.codes import RiskLevel
from risk_assessment.models import AssessmentTemplate, Domain, TemplateIndicator
from risk_assessment.services import templates as services
from risk_assessment.services.assessments import assessment_start
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import ReferralFactory
from tests.risk_assessment.factories_assessments import (
    IndicatorFactory,
    TemplateFactory,
    small_template,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return UserFactory(roles=[Role.ADMINISTRATOR])


@pytest.fixture
def draft(administrator):
    small_template()
    return services.template_new_version(actor=administrator)


def details(**overrides):
    return {
        "domain": Domain.PLACES,
        "text": "Seen at a car wash of concern",
        "guidance": "",
        "weight": 3,
        "is_significant": False,
        "position": None,
        **overrides,
    }


# --- A new version ------------------------------------------------------------------------------
def test_new_version_copies_the_current_published_version(administrator):
    # given
    current = small_template()

    # when
    draft = services.template_new_version(actor=administrator)

    # then
    assert draft.version == current.version + 1
    assert not draft.is_published
    assert (draft.name, draft.medium_threshold, draft.high_threshold) == ("Test assessment", 5, 10)
    copied = draft.indicators.values_list("code", "domain", "weight", "is_significant", "position")
    original = current.indicators.values_list(
        "code", "domain", "weight", "is_significant", "position"
    )
    assert list(copied) == list(original)
    assert AssessmentTemplate.objects.current() == current


def test_only_one_draft_at_a_time(administrator, draft):
    with pytest.raises(ValidationError, match=f"Version {draft.version} is already a draft"):
        services.template_new_version(actor=administrator)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CP_MANAGER])
def test_only_administrators_make_versions(role):
    with pytest.raises(PermissionDenied):
        services.template_new_version(actor=UserFactory(roles=[role]))


# --- Editing a draft ----------------------------------------------------------------------------
def test_update_changes_name_and_thresholds(administrator, draft):
    services.template_update(
        template=draft,
        actor=administrator,
        loaded_at=draft.updated_at,
        name=" Revised tool ",
        medium_threshold=7,
        high_threshold=12,
    )

    draft.refresh_from_db()
    assert (draft.name, draft.medium_threshold, draft.high_threshold) == ("Revised tool", 7, 12)


@pytest.mark.parametrize(
    ("medium", "high", "field"),
    [(0, 5, "medium_threshold"), (6, 6, "high_threshold"), (8, 3, "high_threshold")],
)
def test_thresholds_must_be_ordered(administrator, draft, medium, high, field):
    with pytest.raises(ValidationError) as error:
        services.template_update(
            template=draft,
            actor=administrator,
            loaded_at=draft.updated_at,
            name="x",
            medium_threshold=medium,
            high_threshold=high,
        )

    assert field in error.value.error_dict


def test_add_indicator_goes_last_with_a_code_from_its_text(administrator, draft):
    indicator = services.template_indicator_add(
        template=draft, actor=administrator, loaded_at=draft.updated_at, **details()
    )

    assert indicator.code == "seen-at-a-car-wash-of-concern"
    assert indicator.position == 60
    assert draft.indicators.count() == 6


def test_an_added_indicator_never_reuses_a_code(administrator, draft):
    text = "Went missing"
    first = services.template_indicator_add(
        template=draft, actor=administrator, loaded_at=draft.updated_at, **details(text=text)
    )
    draft.refresh_from_db()
    second = services.template_indicator_add(
        template=draft, actor=administrator, loaded_at=draft.updated_at, **details(text=text)
    )

    # "went-missing" is the copied indicator's code already.
    assert (first.code, second.code) == ("went-missing-2", "went-missing-3")


def test_update_indicator_keeps_its_code(administrator, draft):
    indicator = draft.indicators.get(code="unexplained-money")

    services.template_indicator_update(
        indicator=indicator,
        actor=administrator,
        loaded_at=draft.updated_at,
        **details(text="Has cash they cannot explain", weight=4, is_significant=True, position=5),
    )

    indicator.refresh_from_db()
    assert indicator.code == "unexplained-money"
    assert (indicator.text, indicator.weight, indicator.is_significant, indicator.position) == (
        "Has cash they cannot explain",
        4,
        True,
        5,
    )
    assert indicator.domain == Domain.PLACES


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"text": "  "}, "text"), ({"weight": 0}, "weight"), ({"weight": 11}, "weight")],
)
def test_indicator_details_are_checked(administrator, draft, overrides, field):
    with pytest.raises(ValidationError) as error:
        services.template_indicator_add(
            template=draft, actor=administrator, loaded_at=draft.updated_at, **details(**overrides)
        )

    assert field in error.value.error_dict


def test_remove_indicator(administrator, draft):
    indicator = draft.indicators.get(code="online-grooming")

    services.template_indicator_remove(
        indicator=indicator, actor=administrator, loaded_at=draft.updated_at
    )

    assert not draft.indicators.filter(code="online-grooming").exists()


def test_an_edit_from_a_page_loaded_before_another_edit_is_refused(administrator, draft):
    # given: the page was loaded, then someone else added an indicator
    loaded_at = draft.updated_at
    services.template_indicator_add(
        template=draft, actor=administrator, loaded_at=loaded_at, **details()
    )

    # when / then
    with pytest.raises(StaleEdit):
        services.template_indicator_remove(
            indicator=draft.indicators.first(), actor=administrator, loaded_at=loaded_at
        )


# --- Publishing and immutability ----------------------------------------------------------------
def test_publish_makes_the_draft_current(administrator, draft):
    services.template_publish(template=draft, actor=administrator, loaded_at=draft.updated_at)

    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_by == administrator
    assert AssessmentTemplate.objects.current() == draft


def test_publish_needs_an_indicator(administrator):
    empty = TemplateFactory()

    with pytest.raises(ValidationError, match="Add at least one indicator"):
        services.template_publish(template=empty, actor=administrator, loaded_at=empty.updated_at)


def test_publish_refuses_a_high_threshold_no_score_can_reach(administrator):
    template = TemplateFactory(medium_threshold=5, high_threshold=30)
    IndicatorFactory(template=template, weight=4)

    with pytest.raises(ValidationError, match=r"high threshold \(30\) is more than .* \(4\)"):
        services.template_publish(
            template=template, actor=administrator, loaded_at=template.updated_at
        )


def _every_edit(template, actor):
    indicator = template.indicators.first()
    loaded_at = template.updated_at
    return [
        lambda: services.template_update(
            template=template,
            actor=actor,
            loaded_at=loaded_at,
            name="x",
            medium_threshold=1,
            high_threshold=2,
        ),
        lambda: services.template_indicator_add(
            template=template, actor=actor, loaded_at=loaded_at, **details()
        ),
        lambda: services.template_indicator_update(
            indicator=indicator, actor=actor, loaded_at=loaded_at, **details()
        ),
        lambda: services.template_indicator_remove(
            indicator=indicator, actor=actor, loaded_at=loaded_at
        ),
        lambda: services.template_publish(template=template, actor=actor, loaded_at=loaded_at),
    ]


def test_a_published_version_cannot_be_changed_in_any_way(administrator):
    published = small_template()

    for edit in _every_edit(published, administrator):
        with pytest.raises(ValidationError, match="has been published and cannot be changed"):
            edit()

    assert published.indicators.count() == 5


def test_only_administrators_edit_drafts(draft):
    worker = UserFactory(roles=[Role.SOCIAL_WORKER])

    for edit in _every_edit(draft, worker):
        with pytest.raises(PermissionDenied):
            edit()


# --- Assessments keep their version -------------------------------------------------------------
def test_an_assessment_keeps_version_1_after_version_2_is_published(administrator):
    # given: an assessment started on the current version
    old_version = small_template()
    worker = UserFactory(roles=[Role.SOCIAL_WORKER])
    child = ChildFactory(team=worker.team, allocated_worker=worker)
    referral = ReferralFactory(child=child)
    first = assessment_start(child=child, actor=worker, origin="REFERRAL", referral=referral)

    # when: a new version is drafted, changed and published
    draft = services.template_new_version(actor=administrator)
    services.template_indicator_remove(
        indicator=draft.indicators.get(code="went-missing"),
        actor=administrator,
        loaded_at=draft.updated_at,
    )
    draft.refresh_from_db()
    services.template_publish(template=draft, actor=administrator, loaded_at=draft.updated_at)

    # then: the assessment still has the old version's questions; a new one gets the new version
    first.refresh_from_db()
    assert first.template == old_version
    assert first.answers.filter(indicator__code="went-missing").exists()
    assert first.answers.get(indicator__code="went-missing").indicator.template == old_version
    assert AssessmentTemplate.objects.current() == draft
    assert not TemplateIndicator.objects.filter(template=draft, code="went-missing").exists()
    assert first.level == RiskLevel.LOW


def test_loaded_at_must_match_exactly(administrator, draft):
    with pytest.raises(StaleEdit):
        services.template_update(
            template=draft,
            actor=administrator,
            loaded_at=draft.updated_at - datetime.timedelta(microseconds=1),
            name="x",
            medium_threshold=1,
            high_threshold=2,
        )


def test_a_new_version_needs_a_published_one_to_copy(administrator):
    AssessmentTemplate.objects.update(published_at=None)

    with pytest.raises(ValidationError, match="There is no published version to copy"):
        services.template_new_version(actor=administrator)


def test_update_needs_a_name(administrator, draft):
    with pytest.raises(ValidationError) as error:
        services.template_update(
            template=draft,
            actor=administrator,
            loaded_at=draft.updated_at,
            name=" ",
            medium_threshold=5,
            high_threshold=10,
        )

    assert error.value.message_dict == {"name": ["Enter the name of the template"]}


def test_an_indicator_needs_a_known_section(administrator, draft):
    with pytest.raises(ValidationError) as error:
        services.template_indicator_add(
            template=draft,
            actor=administrator,
            loaded_at=draft.updated_at,
            **details(domain="SPACE"),
        )

    assert error.value.message_dict == {"domain": ["Select the section the indicator belongs to"]}


def test_an_added_indicator_may_be_given_its_place(administrator, draft):
    indicator = services.template_indicator_add(
        template=draft, actor=administrator, loaded_at=draft.updated_at, **details(position=15)
    )

    assert indicator.position == 15
