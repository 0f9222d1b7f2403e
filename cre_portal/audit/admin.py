from django.contrib import admin

from cre_portal.audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["at", "user", "action", "object_type", "object_id", "child_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
