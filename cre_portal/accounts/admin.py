from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from cre_portal.accounts.models import Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "agency", "team", "is_active"]
    list_filter = ["is_active", "agency", "groups", "team"]
    search_fields = ["email", "full_name"]
    list_select_related = ["team"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "agency", "team"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "agency", "team", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups"]

    def get_readonly_fields(self, request, obj=None):
        # Administrators manage others' roles, not their own, and never grant superuser or staff.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser"]
        if obj is not None and obj.pk == request.user.pk:
            fields += ["groups", "is_active"]
        return fields
