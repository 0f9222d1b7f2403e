"""Report runs, schedules and the paper's wording in Django admin: to look at, not to change.

Runs change state only through reports/services/runs.py (which keeps the broker, the locks and
the files in step); schedules and the wording have their own pages for the report manager.
"""

from django.contrib import admin

from reports.models import PaperTemplate, ReportRun, ReportSchedule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = ["kind", "period_start", "period_end", "exact", "status", "requested_at"]
    list_filter = ["kind", "status", "exact"]
    list_select_related = ["requested_by"]
    exclude = ["figures"]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "cadence", "days_after", "active", "last_generated_period_end"]
    list_filter = ["kind", "active"]


@admin.register(PaperTemplate)
class PaperTemplateAdmin(ReadOnlyAdmin):
    list_display = ["kind", "updated_at"]
