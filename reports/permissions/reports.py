"""Who may read the report's figures, on screen and in files, and who sees them exact.

Reports hold counts, never a child's details, so there is no team scope. Exact figures can
single a child out in a small group, so only holders of `view_exact_figures` see them.
"""

from cre_portal.accounts.models import User


def can_view_reports(user: User) -> bool:
    """Read the Corporate Parenting report on screen and its public files."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm("reports.view_reports")


def can_view_exact_figures(user: User) -> bool:
    """See exact figures, including counts from 1 to 4 (never to be published)."""
    if not can_view_reports(user):
        return False
    return user.has_perm("reports.view_exact_figures")
