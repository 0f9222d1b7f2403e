"""Django admin for the CRE Offer catalogue; administrators add, edit and deactivate support.

An intervention that has been part of any child's Offer is never deleted (the items keep
pointing at it); it is deactivated so it is no longer proposed or added.
"""

from django import forms
from django.contrib import admin, messages

from referrals.codes import RiskLevel
from risk_assessment.models import Intervention


class InterventionForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label="Levels it is proportionate to",
        help_text="An approved assessment at one of these levels proposes this support.",
        choices=RiskLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one level"},
    )

    class Meta:
        model = Intervention
        fields = ["name", "category", "description", "levels", "default_provider", "is_active"]

    def clean_levels(self):
        # Keep the stored order Low, Medium, High whatever order the boxes were ticked in.
        chosen = set(self.cleaned_data["levels"])
        return [level for level in RiskLevel.values if level in chosen]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    form = InterventionForm
    list_display = ["name", "category", "level_labels", "default_provider", "is_active"]
    list_filter = ["is_active", "category"]
    search_fields = ["name", "default_provider"]
    actions = ["deactivate", "activate"]

    @admin.display(description="Levels")
    def level_labels(self, obj):
        return ", ".join(RiskLevel(level).label for level in obj.levels)

    def has_delete_permission(self, request, obj=None):
        # Only a mistaken entry nobody has used may go; the rest are deactivated instead.
        if obj is None or obj.offer_items.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Deactivate selected interventions", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"{count} deactivated", messages.SUCCESS)

    @admin.action(description="Reactivate selected interventions", permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(request, f"{count} reactivated", messages.SUCCESS)
