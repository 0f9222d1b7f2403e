"""Opening a subject of concern: scope, break glass for restricted subjects, and the read log.

Mirrors `referrals.record_access`. Every page that shows a subject goes through
`subject_record_view` (pages addressed by the subject's pk) or `open_subject`, so no page can
show a subject without a scope check and an access-log row (child_id None: it is not a child).
Subjects are restricted by default, so opening one asks for a reason once per session.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode

from cre_portal.audit.models import AccessLogEntry
from cre_portal.audit.services import access_log_record
from tasking.models import SubjectOfConcern
from tasking.permissions.subjects import visible_subjects

BREAK_GLASS_SESSION_KEY = "cre_break_glass_subjects"


def has_broken_glass(request: HttpRequest, subject: SubjectOfConcern) -> bool:
    """A restricted subject opens only after the user gave a reason in this session."""
    return str(subject.pk) in request.session.get(BREAK_GLASS_SESSION_KEY, [])


def break_glass(request: HttpRequest, subject: SubjectOfConcern, reason: str) -> None:
    """Log the reason for opening a restricted subject and let this session open it."""
    access_log_record(
        user=request.user,  # type: ignore[arg-type]
        obj=subject,
        child_id=None,
        action=AccessLogEntry.Action.BREAK_GLASS,
        reason=reason,
    )
    opened = request.session.get(BREAK_GLASS_SESSION_KEY, [])
    request.session[BREAK_GLASS_SESSION_KEY] = [*opened, str(subject.pk)]


def open_for_creator(request: HttpRequest, subject: SubjectOfConcern) -> None:
    """Whoever has just recorded a subject has seen all of it: no reason asked this session."""
    opened = request.session.get(BREAK_GLASS_SESSION_KEY, [])
    request.session[BREAK_GLASS_SESSION_KEY] = [*opened, str(subject.pk)]


def is_sealed(request: HttpRequest, subject: SubjectOfConcern) -> bool:
    """Restricted and not yet opened with a reason in this session."""
    return subject.is_restricted and not has_broken_glass(request, subject)


def open_subject(request: HttpRequest, subject: SubjectOfConcern) -> HttpResponse | None:
    """Log the read of the subject; a redirect to break glass when it is still sealed."""
    if is_sealed(request, subject):
        url = reverse("tasking:subject_break_glass", args=[subject.pk])
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    access_log_record(user=request.user, obj=subject, child_id=None)  # type: ignore[arg-type]
    return None


def subject_record_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views addressed by the subject's pk: look up in scope (404 otherwise), then open."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        subjects = visible_subjects(request.user).select_related("created_by__team")  # type: ignore[arg-type]
        subject = get_object_or_404(subjects, pk=pk)
        return open_subject(request, subject) or view(request, subject, *args, **kwargs)

    return wrapper
