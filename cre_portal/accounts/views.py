from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from cre_portal.accounts.forms import MfaSetupForm, MfaVerifyForm, SignInForm
from cre_portal.accounts.mfa import (
    has_confirmed_device,
    is_mfa_exempt,
    manual_key,
    mfa_not_required,
    pending_device,
    qr_code_svg,
)
from cre_portal.redirects import safe_next_url


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


sign_out = mfa_not_required(auth_views.LogoutView.as_view())


def _next_url(request):
    return safe_next_url(request, resolve_url(settings.LOGIN_REDIRECT_URL))


@mfa_not_required
@never_cache
@sensitive_post_parameters("code")
def mfa_setup(request):
    if request.user.is_verified() or is_mfa_exempt(request.user):
        return redirect(_next_url(request))
    if has_confirmed_device(request.user):
        return redirect("accounts:mfa_verify")
    device = pending_device(request.user)
    form = MfaSetupForm(request.POST or None, device=device)
    if form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(_next_url(request))
    context = {
        "form": form,
        "qr_svg": qr_code_svg(device),
        "manual_key": manual_key(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/mfa_setup.html", context)


@mfa_not_required
@never_cache
@sensitive_post_parameters("code")
def mfa_verify(request):
    if request.user.is_verified() or is_mfa_exempt(request.user):
        return redirect(_next_url(request))
    if not has_confirmed_device(request.user):
        return redirect("accounts:mfa_setup")
    form = MfaVerifyForm(request.POST or None, user=request.user)
    if form.is_valid():
        otp_login(request, form.device)
        return redirect(_next_url(request))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})
