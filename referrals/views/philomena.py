"""The Philomena profile of a looked-after child: read, edit, and a one-click printable copy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.concurrency import StaleEdit
from referrals.codes import CareStatus
from referrals.forms.philomena import PhilomenaProfileForm, profile_rows
from referrals.permissions.missing import can_edit_philomena_profile
from referrals.record_access import child_record_view
from referrals.services.philomena import philomena_profile_for, philomena_profile_save


def _context(request, child) -> dict:
    profile = philomena_profile_for(child)
    return {
        "child": child,
        "profile": profile,
        "rows": profile_rows(profile),
        "looked_after": child.care_status == CareStatus.LAC,
        "can_edit": can_edit_philomena_profile(request.user, child),
    }


@require_GET
@child_record_view
def philomena_detail(request, child):
    return render(request, "referrals/philomena_detail.html", _context(request, child))


@require_GET
@child_record_view
def philomena_print(request, child):
    context = {**_context(request, child), "printed_at": timezone.now()}
    return render(request, "referrals/philomena_print.html", context)


@require_http_methods(["GET", "POST"])
@child_record_view
def philomena_edit(request, child):
    if child.care_status != CareStatus.LAC:
        return redirect("referrals:philomena_detail", pk=child.pk)
    if not can_edit_philomena_profile(request.user, child):
        raise PermissionDenied
    initial = PhilomenaProfileForm.initial_for(philomena_profile_for(child))
    form = PhilomenaProfileForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            philomena_profile_save(
                child=child,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                details=form.details(),
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Philomena profile saved")
            return redirect("referrals:philomena_detail", pk=child.pk)
    return render(request, "referrals/philomena_form.html", {"child": child, "form": form})
