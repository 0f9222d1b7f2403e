"""The base form mixin: GOV.UK layout and GOV.UK-style error messages for every field."""

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

CHOICE_FIELDS = (forms.ChoiceField, forms.ModelChoiceField, forms.MultipleChoiceField)


def required_message(field: forms.Field) -> str:
    """GOV.UK wording for a missing answer, from the field's label."""
    label = str(field.label or "an answer").strip()
    label = label[0].lower() + label[1:]
    verb = "Select" if isinstance(field, CHOICE_FIELDS) else "Enter"
    return f"{verb} {label}"


class GDSFormMixin:
    """Sets the crispy GDS helper and replaces Django's generic required message."""

    submit_label = "Continue"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = required_message(field)
        self.helper = FormHelper()
        # Templates write the <form> element, so they can add hidden fields and novalidate.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("submit", self.submit_label))


class GDSForm(GDSFormMixin, forms.Form):
    pass


class GDSModelForm(GDSFormMixin, forms.ModelForm):
    pass
