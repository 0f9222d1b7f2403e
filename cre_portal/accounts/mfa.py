"""TOTP second factor: who must use it, enrolment and the QR code."""

import base64
from collections.abc import Callable
from typing import Any, TypeVar

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from cre_portal.accounts.models import User

View = TypeVar("View", bound=Callable[..., Any])


def mfa_not_required(view: View) -> View:
    """Marks a view a signed-in user may reach before passing MFA (set-up, verify, sign out)."""
    view.mfa_not_required = True  # type: ignore[attr-defined]
    return view


def is_mfa_exempt(user: User) -> bool:
    """Only synthetic demo accounts, and only while the whole app runs in demo mode."""
    return bool(settings.DEMO_MODE and user.is_demo)


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG (no external request, allowed by the CSP)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code")


def manual_key(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
