from django import forms

from cre_portal.forms import GDSForm


class BreakGlassForm(GDSForm):
    submit_label = "Open the record"
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="Your reason is recorded and shown to managers and the data protection officer.",
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you need to open this record",
            "min_length": "Give a reason of at least 10 characters",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
