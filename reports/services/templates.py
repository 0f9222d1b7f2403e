"""The committee paper's wording: kept by report managers, first filled from the defaults."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cre_portal.accounts.models import User
from cre_portal.concurrency import save_versioned
from reports.models import PaperTemplate, ReportKind
from reports.permissions.runs import can_edit_paper_templates
from reports.renderers.paper_defaults import DEFAULT_PAPER_SECTIONS


def paper_template_current(kind: str = ReportKind.CORPORATE_PARENTING) -> PaperTemplate:
    """The paper's wording for the kind of report, made from the defaults the first time."""
    template, _ = PaperTemplate.objects.get_or_create(
        kind=kind, defaults={name: DEFAULT_PAPER_SECTIONS[name] for name in PaperTemplate.SECTIONS}
    )
    return template


def paper_sections(kind: str) -> dict[str, str]:
    """The sections' text, by name in the paper's order, for the Word renderer."""
    return paper_template_current(kind).sections()


@transaction.atomic
def paper_template_update(
    *, template: PaperTemplate, actor: User, expected_version: int, sections: dict[str, str]
) -> PaperTemplate:
    """Save new wording; refused (StaleEdit) if someone else saved it meanwhile."""
    if not can_edit_paper_templates(actor):
        raise PermissionDenied
    for name in PaperTemplate.SECTIONS:
        setattr(template, name, sections[name])
    save_versioned(template, expected_version=expected_version, fields=list(PaperTemplate.SECTIONS))
    return template
