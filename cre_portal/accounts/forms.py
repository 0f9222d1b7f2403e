from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cre_portal.accounts.models import User
from cre_portal.forms import GDSForm, GDSFormMixin

CODE_FIELD_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}


class SignInForm(GDSFormMixin, AuthenticationForm):
    submit_label = "Sign in"
    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account has been closed. Contact your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self):
        # GOV.UK error summaries link each message to a field: put this one on the email field.
        try:
            return super().clean()
        except forms.ValidationError as error:
            self.add_error("username", error)
            return self.cleaned_data

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Code from your authenticator app",
            help_text="The 6-digit code shown in the app, for example 123456",
            max_length=6,
            min_length=6,
            error_messages={
                "required": "Enter the 6-digit code from your authenticator app",
                "min_length": "Enter the 6-digit code from your authenticator app",
                "max_length": "Enter the 6-digit code from your authenticator app",
            },
            widget=forms.TextInput(attrs=CODE_FIELD_ATTRS),
            **kwargs,
        )

    def to_python(self, value):
        return "".join((value or "").split())


class MfaSetupForm(GDSForm):
    submit_label = "Confirm and continue"
    code = CodeField()

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "The code is not correct. Check the time on your phone and enter the newest code"
            )
        return code


class MfaVerifyForm(GDSForm):
    submit_label = "Continue"
    code = CodeField()

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.device = match_token(self.user, code)
        if self.device is None:
            raise forms.ValidationError(
                "The code is not correct. Enter the newest code from your authenticator app"
            )
        return code
