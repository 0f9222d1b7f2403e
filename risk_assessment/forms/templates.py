"""Forms for drafting a new version of the assessment template: thresholds and indicators.

Each carries `loaded_at`, the draft's `updated_at` when the page was loaded, so the service can
refuse an edit made on a page that someone else's edit has overtaken.
"""

import datetime
from typing import Any

from django import forms

from cre_portal.forms import GDSForm
from risk_assessment.models import Domain

RELOAD = "Reload the page and try again"


class LoadedAtField(forms.CharField):
    """When the page was loaded (the draft's `updated_at`), in a hidden input."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": RELOAD})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError as error:
            raise forms.ValidationError(RELOAD) from error
        if moment.tzinfo is None:
            raise forms.ValidationError(RELOAD)
        return moment


def loaded_at(template) -> str:
    return template.updated_at.isoformat()


class TemplateForm(GDSForm):
    submit_label = "Save changes"

    name = forms.CharField(
        label="Name of the template",
        max_length=120,
        error_messages={"required": "Enter the name of the template"},
    )
    medium_threshold = forms.IntegerField(
        label="Medium threshold",
        help_text="A score at or above this gives a Medium level.",
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the medium threshold",
            "invalid": "The medium threshold must be a whole number",
            "min_value": "The medium threshold must be 1 or more",
            "max_value": "The medium threshold must be 999 or less",
        },
    )
    high_threshold = forms.IntegerField(
        label="High threshold",
        help_text=(
            "A score at or above this gives a High level. A significant indicator answered "
            "present gives High whatever the score."
        ),
        min_value=2,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the high threshold",
            "invalid": "The high threshold must be a whole number",
            "min_value": "The high threshold must be 2 or more",
            "max_value": "The high threshold must be 999 or less",
        },
    )
    loaded_at = LoadedAtField()


class IndicatorForm(GDSForm):
    submit_label = "Save indicator"

    domain = forms.ChoiceField(
        label="Section",
        choices=[("", "Select a section"), *Domain.choices],
        error_messages={"required": "Select the section the indicator belongs to"},
    )
    text = forms.CharField(
        label="Indicator",
        help_text=(
            "Written as a statement about the child, for example "
            "“Has money they cannot account for”."
        ),
        max_length=255,
        error_messages={
            "required": "Enter the indicator",
            "max_length": "The indicator must be 255 characters or fewer",
        },
    )
    guidance = forms.CharField(
        label="Guidance (optional)",
        help_text="Shown under the indicator to help the worker answer it.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The guidance must be 1,000 characters or fewer"},
    )
    weight = forms.IntegerField(
        label="Weight",
        help_text="Added to the score when the indicator is present: 1 to 10.",
        min_value=1,
        max_value=10,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
        error_messages={
            "required": "Enter the weight",
            "invalid": "The weight must be a whole number from 1 to 10",
            "min_value": "The weight must be a whole number from 1 to 10",
            "max_value": "The weight must be a whole number from 1 to 10",
        },
    )
    is_significant = forms.BooleanField(
        label="Significant on its own: present makes the level High whatever the score",
        required=False,
    )
    position = forms.IntegerField(
        label="Order (optional)",
        help_text=(
            "Indicators are shown in this order within their section; lower numbers come first. "
            "Leave empty to put a new indicator last."
        ),
        required=False,
        min_value=1,
        max_value=32000,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "invalid": "The order must be a whole number",
            "min_value": "The order must be 1 or more",
            "max_value": "The order must be 32,000 or less",
        },
    )
    loaded_at = LoadedAtField()


class ConfirmForm(GDSForm):
    """Publishing or removing: nothing to fill in but the page's freshness."""

    loaded_at = LoadedAtField()

    def __init__(self, *args: Any, submit_label: str = "Continue", **kwargs: Any) -> None:
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
