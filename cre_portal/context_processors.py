"""Layout context for every page: council, demo banner and the navigation for the user's roles."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cre_portal.accounts.mfa import is_mfa_exempt

# (label, url name, capability that shows it; None = every signed-in user)
NAVIGATION: list[tuple[str, str, str | None]] = [
    ("Home", "home", None),
    (
        "Children",
        "referrals:child_list",
        "referrals.view_team_children|referrals.view_all_children",
    ),
    ("Referrals", "referrals:referral_list", "referrals.screen_referral"),
    ("Missing", "referrals:missing_dashboard", "referrals.record_missing_episode"),
    ("NRM", "referrals:nrm_list", "referrals.record_nrm"),
    ("Feedback", "risk_assessment:feedback_summary", "risk_assessment.approve_assessment"),
    (
        "Tasking",
        "tasking:group_list",
        "tasking.record_subject|tasking.chair_tasking|tasking.manage_tasking_groups",
    ),
    ("Reports", "reports:run_list", "reports.view_reports"),
    ("Templates", "risk_assessment:template_list", "risk_assessment.publish_template"),
    ("Imports", "referrals:import_list", "referrals.import_cases"),
    ("Administration", "admin:index", "accounts.manage_users"),
]


def _allowed(user: Any, capability: str | None) -> bool:
    return capability is None or any(user.has_perm(perm) for perm in capability.split("|"))


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    # A 400 raised before the authentication middleware has no user on the request.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # Before MFA the pages would only send the user back to it.
    if not (user.is_verified() or is_mfa_exempt(user)):
        return []
    items = []
    for label, url_name, capability in NAVIGATION:
        if _allowed(user, capability):
            url = reverse(url_name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return items


def layout(request: HttpRequest) -> dict[str, Any]:
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "navigation": navigation_for(request),
    }
