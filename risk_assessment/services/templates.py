"""Versions of the assessment template: copy the current one, edit the draft, publish it.

Published versions never change (assessments keep the version they were started with), so
every edit locks the template and refuses one that is published. Only one draft exists at a
time. Each edit also refuses a form loaded before someone else changed the draft: the form
carries the draft's `updated_at`, which every edit to it or its indicators moves on.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.text import slugify

from cre_portal.accounts.models import User
from cre_portal.concurrency import StaleEdit
from risk_assessment.models import AssessmentTemplate, Domain, TemplateIndicator
from risk_assessment.permissions.assessments import can_manage_templates

PUBLISHED_IS_FIXED = (
    "This version has been published and cannot be changed. Create a new version to make changes"
)
DRAFT_EXISTS = "Version {version} is already a draft. Edit or publish it before starting another"
NO_CURRENT = "There is no published version to copy"
CODE_LENGTH = 60
WEIGHTS = range(1, 11)
POSITION_STEP = 10
INDICATOR_FIELDS = ["domain", "text", "guidance", "weight", "is_significant", "position"]


def _check_manager(actor: User) -> None:
    if not can_manage_templates(actor):
        raise PermissionDenied


def _locked_draft(template: AssessmentTemplate, loaded_at: datetime.datetime) -> AssessmentTemplate:
    """The draft as it is now, locked; refused if published or changed since the form loaded."""
    current = AssessmentTemplate.objects.select_for_update().get(pk=template.pk)
    if current.is_published:
        raise ValidationError(PUBLISHED_IS_FIXED)
    if current.updated_at != loaded_at:
        raise StaleEdit([f"draft version {current.version}"])
    return current


def _touch(template: AssessmentTemplate) -> None:
    """Move the draft's `updated_at` on, so forms loaded before this edit go stale."""
    template.save(update_fields=["updated_at"])


@transaction.atomic
def template_new_version(*, actor: User) -> AssessmentTemplate:
    """Start a new draft version as a copy of the current published one."""
    _check_manager(actor)
    # Locking the current version makes two administrators' clicks queue, so one draft results.
    current = AssessmentTemplate.objects.published().select_for_update().order_by("-version")
    source = current.first()
    if source is None:
        raise ValidationError(NO_CURRENT)
    draft = AssessmentTemplate.objects.filter(published_at__isnull=True).first()
    if draft is not None:
        raise ValidationError(DRAFT_EXISTS.format(version=draft.version))
    latest = AssessmentTemplate.objects.aggregate(latest=Max("version"))["latest"]
    new = AssessmentTemplate.objects.create(
        version=latest + 1,
        name=source.name,
        medium_threshold=source.medium_threshold,
        high_threshold=source.high_threshold,
    )
    TemplateIndicator.objects.bulk_create(
        TemplateIndicator(
            template=new,
            code=indicator.code,
            **{field: getattr(indicator, field) for field in INDICATOR_FIELDS},
        )
        for indicator in source.indicators.all()
    )
    return new


def _check_thresholds(medium_threshold: int, high_threshold: int) -> None:
    if medium_threshold < 1:
        raise ValidationError({"medium_threshold": "The medium threshold must be 1 or more"})
    if high_threshold <= medium_threshold:
        raise ValidationError(
            {"high_threshold": "The high threshold must be more than the medium threshold"}
        )


@transaction.atomic
def template_update(
    *,
    template: AssessmentTemplate,
    actor: User,
    loaded_at: datetime.datetime,
    name: str,
    medium_threshold: int,
    high_threshold: int,
) -> AssessmentTemplate:
    """Change a draft's name and the scores at which the level becomes Medium and High."""
    _check_manager(actor)
    template = _locked_draft(template, loaded_at)
    _check_thresholds(medium_threshold, high_threshold)
    if not name.strip():
        raise ValidationError({"name": "Enter the name of the template"})
    template.name = name.strip()
    template.medium_threshold = medium_threshold
    template.high_threshold = high_threshold
    template.save(update_fields=["name", "medium_threshold", "high_threshold", "updated_at"])
    return template


def _clean_indicator(details: dict[str, Any]) -> dict[str, Any]:
    """Check an indicator's details; the text and guidance are stored trimmed."""
    if details["domain"] not in Domain.values:
        raise ValidationError({"domain": "Select the section the indicator belongs to"})
    text = details["text"].strip()
    if not text:
        raise ValidationError({"text": "Enter the indicator"})
    if details["weight"] not in WEIGHTS:
        raise ValidationError({"weight": "The weight must be a whole number from 1 to 10"})
    return {**details, "text": text, "guidance": details.get("guidance", "").strip()}


def _free_code(template: AssessmentTemplate, text: str) -> str:
    """A new code from the text, unique in the template; codes never change once made."""
    base = slugify(text)[:CODE_LENGTH].strip("-") or "indicator"
    taken = set(template.indicators.values_list("code", flat=True))
    code, number = base, 1
    while code in taken:
        number += 1
        suffix = f"-{number}"
        code = f"{base[: CODE_LENGTH - len(suffix)]}{suffix}"
    return code


@transaction.atomic
def template_indicator_add(
    *, template: AssessmentTemplate, actor: User, loaded_at: datetime.datetime, **details: Any
) -> TemplateIndicator:
    """Add an indicator to a draft; without a position it goes last."""
    _check_manager(actor)
    template = _locked_draft(template, loaded_at)
    details = _clean_indicator(details)
    if details.get("position") is None:
        last = template.indicators.aggregate(last=Max("position"))["last"] or 0
        details["position"] = last + POSITION_STEP
    indicator = TemplateIndicator.objects.create(
        template=template, code=_free_code(template, details["text"]), **details
    )
    _touch(template)
    return indicator


@transaction.atomic
def template_indicator_update(
    *, indicator: TemplateIndicator, actor: User, loaded_at: datetime.datetime, **details: Any
) -> TemplateIndicator:
    """Change a draft's indicator: its wording, guidance, weight, section, order, significance."""
    _check_manager(actor)
    template = _locked_draft(indicator.template, loaded_at)
    details = _clean_indicator(details)
    indicator = TemplateIndicator.objects.get(pk=indicator.pk)
    for field in INDICATOR_FIELDS:
        if details.get(field) is not None:
            setattr(indicator, field, details[field])
    indicator.save(update_fields=INDICATOR_FIELDS)
    _touch(template)
    return indicator


@transaction.atomic
def template_indicator_remove(
    *, indicator: TemplateIndicator, actor: User, loaded_at: datetime.datetime
) -> AssessmentTemplate:
    """Remove an indicator from a draft (no assessment uses a draft, so no answer points at it)."""
    _check_manager(actor)
    template = _locked_draft(indicator.template, loaded_at)
    TemplateIndicator.objects.filter(pk=indicator.pk).delete()
    _touch(template)
    return template


def _check_publishable(template: AssessmentTemplate) -> None:
    total = template.indicators.aggregate(total=Sum("weight"))["total"]
    if not total:
        raise ValidationError("Add at least one indicator before publishing")
    if template.high_threshold > total:
        raise ValidationError(
            f"The high threshold ({template.high_threshold}) is more than the highest possible "
            f"score ({total}). Lower it before publishing"
        )


@transaction.atomic
def template_publish(
    *, template: AssessmentTemplate, actor: User, loaded_at: datetime.datetime
) -> AssessmentTemplate:
    """Publish a draft: new assessments use it from now on; it can never change again."""
    _check_manager(actor)
    template = _locked_draft(template, loaded_at)
    _check_publishable(template)
    template.published_at = timezone.now()
    template.published_by = actor
    template.save(update_fields=["published_at", "published_by", "updated_at"])
    return template
