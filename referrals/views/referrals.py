"""Referral pages: the child's Referrals tab, recording, detail, screening, allocation, closure."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.concurrency import StaleEdit
from referrals.forms.referrals import (
    AllocationForm,
    ClosureForm,
    ReferralEditForm,
    ReferralForm,
    ReferralListFilterForm,
    ScreeningForm,
)
from referrals.models import Referral
from referrals.permissions.referrals import (
    can_allocate_referral,
    can_close_referral,
    can_edit_referral,
    can_list_referrals,
    can_record_referral,
    can_screen_referral,
    visible_referrals,
)
from referrals.record_access import child_record_view, open_record
from referrals.services.referrals import (
    OPEN_STATUSES,
    CarePosition,
    referral_allocate,
    referral_care_position,
    referral_close,
    referral_create,
    referral_screen,
    referral_update,
)

PAGE_SIZE = 25
FORM_METHODS = ["GET", "POST"]


def referral_record_view(can: Callable[..., bool] | None = None) -> Callable:
    """For views addressed by a referral's pk: scope (404), capability (403), then open it."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: Any) -> HttpResponse:
            referrals = visible_referrals(request.user).with_related()  # type: ignore[arg-type]
            referral = get_object_or_404(referrals.select_related("screened_by"), pk=pk)
            if can is not None and not can(request.user, referral):
                raise PermissionDenied
            return open_record(request, referral, referral.child) or view(request, referral)

        return wrapper

    return decorator


def posted(request):
    """The POST data to bind, or None on GET (an empty POST must still show its errors)."""
    return request.POST if request.method == "POST" else None


def _not_now(request, referral, message):
    """A step the referral's status no longer allows: back to the referral, saying why."""
    messages.warning(request, message)
    return redirect("referrals:referral_detail", pk=referral.pk)


def add_service_errors(form, error: ValidationError):
    """Show a service's refusal on the form: at its fields if the form has them all."""
    if hasattr(error, "error_dict") and error.error_dict.keys() <= form.fields.keys():
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


# --- The child's referrals --------------------------------------------------------------------
@require_GET
@child_record_view
def child_referrals(request, child):
    referrals = child.referrals.select_related("allocated_worker")
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "child": child,
        "page_obj": page,
        "can_record": can_record_referral(request.user, child),
    }
    return render(request, "referrals/child_referrals.html", context)


@require_http_methods(FORM_METHODS)
@child_record_view
def referral_create_view(request, child):
    if not can_record_referral(request.user, child):
        raise PermissionDenied
    form = ReferralForm(posted(request))
    if not form.is_valid() or "change" in request.POST:
        return render(request, "referrals/referral_form.html", {"child": child, "form": form})
    if "confirm" not in request.POST:
        context = {"child": child, "form": form, "care": referral_care_position(child)}
        return render(request, "referrals/referral_confirm.html", context)
    try:
        referral = referral_create(child=child, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "referrals/referral_form.html", {"child": child, "form": form})
    messages.success(request, f"Referral {referral.referral_ref} recorded")
    return redirect("referrals:referral_detail", pk=referral.pk)


# --- One referral -----------------------------------------------------------------------------
def _actions(user, referral: Referral) -> dict[str, bool]:
    """Which buttons the detail page offers, by permission and by status."""
    manages = can_screen_referral(user, referral)
    return {
        "can_edit": referral.status == Referral.Status.RECEIVED
        and can_edit_referral(user, referral),
        "can_screen": manages and referral.status == Referral.Status.RECEIVED,
        "can_allocate": manages and referral.status in OPEN_STATUSES,
        "can_close": manages and referral.status == Referral.Status.ACCEPTED,
    }


@require_GET
@referral_record_view()
def referral_detail(request, referral):
    context = {
        "referral": referral,
        "child": referral.child,
        "care": CarePosition.of_referral(referral),
        **_actions(request.user, referral),
    }
    return render(request, "referrals/referral_detail.html", context)


def _edit_initial(referral: Referral) -> dict[str, Any]:
    fields = ReferralEditForm.base_fields.keys() - {"version"}
    return {name: getattr(referral, name) for name in fields} | {"version": referral.version}


@require_http_methods(FORM_METHODS)
@referral_record_view(can=can_edit_referral)
def referral_edit(request, referral):
    if referral.status != Referral.Status.RECEIVED:
        return _not_now(request, referral, "A referral's details cannot be changed once screened")
    form = ReferralEditForm(posted(request), initial=_edit_initial(referral))
    if form.is_valid():
        details = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            referral_update(
                referral=referral,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **details,
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Referral details saved")
            return redirect("referrals:referral_detail", pk=referral.pk)
    context = {"referral": referral, "child": referral.child, "form": form}
    return render(request, "referrals/referral_form.html", context)


@require_http_methods(FORM_METHODS)
@referral_record_view(can=can_screen_referral)
def referral_screen_view(request, referral):
    if referral.status != Referral.Status.RECEIVED:
        return _not_now(request, referral, "This referral has already been screened")
    form = ScreeningForm(posted(request), referral=referral)
    if form.is_valid():
        try:
            referral = referral_screen(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            outcome = "in" if referral.status == Referral.Status.ACCEPTED else "out"
            messages.success(request, f"Referral {referral.referral_ref} screened {outcome}")
            return redirect("referrals:referral_detail", pk=referral.pk)
    context = {"referral": referral, "child": referral.child, "form": form}
    return render(request, "referrals/referral_screen.html", context)


@require_http_methods(FORM_METHODS)
@referral_record_view(can=can_allocate_referral)
def referral_allocate_view(request, referral):
    if referral.status not in OPEN_STATUSES:
        return _not_now(request, referral, "Only an open referral can be allocated")
    form = AllocationForm(posted(request), referral=referral)
    if form.is_valid():
        try:
            referral = referral_allocate(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            worker = referral.allocated_worker.display_name  # type: ignore[union-attr]
            messages.success(request, f"Referral allocated to {worker}")
            return redirect("referrals:referral_detail", pk=referral.pk)
    context = {"referral": referral, "child": referral.child, "form": form}
    return render(request, "referrals/referral_allocate.html", context)


@require_http_methods(FORM_METHODS)
@referral_record_view(can=can_close_referral)
def referral_close_view(request, referral):
    if referral.status != Referral.Status.ACCEPTED:
        return _not_now(request, referral, "Only an accepted, open referral can be closed")
    form = ClosureForm(posted(request), referral=referral)
    if form.is_valid():
        try:
            referral = referral_close(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.referral_ref} closed")
            return redirect("referrals:referral_detail", pk=referral.pk)
    context = {"referral": referral, "child": referral.child, "form": form}
    return render(request, "referrals/referral_close.html", context)


# --- The managers' list -----------------------------------------------------------------------
AWAITING_SCREENING_FIRST = Case(
    When(status=Referral.Status.RECEIVED, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


@require_GET
def referral_list(request):
    if not can_list_referrals(request.user):
        raise PermissionDenied
    form = ReferralListFilterForm(request.GET or None)
    referrals = form.filter(visible_referrals(request.user).with_related())
    referrals = referrals.select_related("child__team").order_by(
        AWAITING_SCREENING_FIRST, "received_on", "created_at"
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page_obj": page, "query_string": query.urlencode()}
    return render(request, "referrals/referral_list.html", context)
