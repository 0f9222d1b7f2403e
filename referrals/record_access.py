"""Opening a child's record: scope, break glass for restricted records, and the read log.

Every page that shows a child's details goes through `child_record_view` (pages addressed by
the child) or `open_record` (pages addressed by a record about the child), so no page can show
a child without a scope check and an access-log row.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode

from cre_portal.audit.models import AccessLogEntry
from cre_portal.audit.services import access_log_record
from referrals.models import Child
from referrals.permissions.children import visible_children

BREAK_GLASS_SESSION_KEY = "cre_break_glass_children"


def has_broken_glass(request: HttpRequest, child: Child) -> bool:
    """A restricted record opens only after the user gave a reason in this session."""
    return str(child.pk) in request.session.get(BREAK_GLASS_SESSION_KEY, [])


def break_glass(request: HttpRequest, child: Child, reason: str) -> None:
    """Log the reason for opening a restricted record and let this session open it."""
    access_log_record(
        user=request.user,  # type: ignore[arg-type]
        obj=child,
        child_id=child.pk,
        action=AccessLogEntry.Action.BREAK_GLASS,
        reason=reason,
    )
    opened = request.session.get(BREAK_GLASS_SESSION_KEY, [])
    request.session[BREAK_GLASS_SESSION_KEY] = [*opened, str(child.pk)]


def open_record(request: HttpRequest, obj: models.Model, child: Child) -> HttpResponse | None:
    """Log the read of `obj` about `child`; a redirect to break glass when it is still sealed."""
    if child.is_restricted and not has_broken_glass(request, child):
        url = reverse("referrals:child_break_glass", args=[child.pk])
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    access_log_record(user=request.user, obj=obj, child_id=child.pk)  # type: ignore[arg-type]
    return None


def child_record_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views addressed by the child's pk: look up in scope (404 otherwise), then open."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        children = visible_children(request.user)  # type: ignore[arg-type]
        child = get_object_or_404(children.with_related(), pk=pk)
        return open_record(request, child, child) or view(request, child, *args, **kwargs)

    return wrapper
