"""How django-axes names the account being tried."""

from typing import Any

from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The sign-in email, case-folded, so "Name@" and "name@" share one failure count."""
    source = credentials if credentials else request.POST
    return str(source.get("username") or "").strip().lower()
