"""Who may import case data and see the imports. The only home of these rules.

Imports are the authority's data, not a team's: every holder of the `import_cases` capability
(administrators) sees and may confirm every import, whoever uploaded it. A data protection
officer needs to see all of them, and a second administrator can check an upload before
confirming it. An import shows references, codes and counts, never a child's name.
"""

from django.db.models import QuerySet

from cre_portal.accounts.models import User
from referrals.models import CaseImport


def can_import_cases(user: User) -> bool:
    """Upload, check and apply imports in the data exchange format."""
    return user.is_authenticated and user.is_active and user.has_perm("referrals.import_cases")


def visible_case_imports(user: User) -> QuerySet[CaseImport]:
    """The imports the user may see: all of them for an importer, none for anyone else."""
    if not can_import_cases(user):
        return CaseImport.objects.none()
    # The uploaded file (up to 20 MB) is read only when an import is applied.
    return CaseImport.objects.defer("content").select_related("uploaded_by")
