from django.contrib import admin

from referrals.models import Child


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["child_ref", "care_status", "team", "allocated_worker"]
    list_filter = ["care_status", "team"]
    search_fields = ["child_ref"]
    list_select_related = ["team", "allocated_worker"]
    readonly_fields = ["version"]
