from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cre_portal.accounts.mfa import mfa_not_required
from cre_portal.dashboard import my_work
from cre_portal.health import health


def home(request):
    return render(request, "home.html", {"work": my_work(request.user)})


@login_not_required
@mfa_not_required
@require_GET
@never_cache
def healthz(request):
    checks = health()
    healthy = all(state == "up" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
