"""Who may see, request and download report runs, and keep the schedules and the paper's text.

Reports hold counts, never a child's details, so there is no team scope: the authority's
reports are seen by every holder of `view_reports`. Exact figures can single a child out in a
small group, so runs made with them are seen only by holders of `view_exact_figures`; to
everyone else they do not exist (404).
"""

from django.db.models import QuerySet

from cre_portal.accounts.models import User
from reports.models import ReportRun, ReportRunQuerySet, ReportSchedule

# Reading reports and seeing exact figures are one rule for the screen and for the runs.
from reports.permissions.reports import can_view_exact_figures, can_view_reports


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_generate_reports(user: User) -> bool:
    """Request report runs and try failed ones again."""
    return can_view_reports(user) and user.has_perm("reports.generate_reports")


def can_request_report(user: User, *, exact: bool) -> bool:
    """Request a run; one with exact figures only if the user may see them."""
    if not can_generate_reports(user):
        return False
    return not exact or can_view_exact_figures(user)


def visible_report_runs(user: User) -> ReportRunQuerySet:
    """The runs the user may see: public ones for report readers, exact ones only with the right."""
    if not can_view_reports(user):
        return ReportRun.objects.none()
    if can_view_exact_figures(user):
        return ReportRun.objects.all()
    return ReportRun.objects.filter(exact=False)


def can_view_run(user: User, run: ReportRun) -> bool:
    """See a run and download its files."""
    return can_view_exact_figures(user) if run.exact else can_view_reports(user)


def can_retry_report_run(user: User, run: ReportRun) -> bool:
    """Try a run again: those who may request it (the caller has already scoped the run)."""
    return can_request_report(user, exact=run.exact)


def can_manage_report_schedules(user: User) -> bool:
    """Create, change and stop the schedules that request reports by themselves."""
    return _active(user) and user.has_perm("reports.manage_report_schedules")


def visible_report_schedules(user: User) -> QuerySet[ReportSchedule]:
    """Every schedule for those who manage them; none for anyone else."""
    if not can_manage_report_schedules(user):
        return ReportSchedule.objects.none()
    return ReportSchedule.objects.all()


def can_edit_paper_templates(user: User) -> bool:
    """Edit the wording of the committee paper."""
    return _active(user) and user.has_perm("reports.edit_paper_templates")
