"""Meeting feedback pages: asking for it, the public form, a child's feedback, the summary."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.accounts.mfa import mfa_not_required
from referrals.record_access import child_record_view
from risk_assessment.forms.feedback import (
    FeedbackLinkForm,
    FeedbackPeriodForm,
    FeedbackResponseForm,
    default_period,
)
from risk_assessment.permissions.feedback import (
    can_request_feedback,
    can_view_feedback_summary,
    feedback_links_for_token,
)
from risk_assessment.selectors_feedback import (
    LinkState,
    answer_distribution,
    child_feedback_links,
    comments_in_period,
    link_state,
    links_in_period,
    public_meeting_name,
    response_rates,
    total_row,
)
from risk_assessment.services import feedback as services

PAGE_SIZE = 25
# The public pages speak to the family, not to staff: no service name from the staff side.
PUBLIC_LAYOUT = {"service_name": "Meeting feedback", "navigation": []}


# --- Staff: asking for feedback and reading it ---------------------------------------------------
@require_http_methods(["GET", "POST"])
@child_record_view
def feedback_link_create(request, child):
    if not can_request_feedback(request.user, child):
        raise PermissionDenied
    form = FeedbackLinkForm(request.POST if request.method == "POST" else None, child=child)
    if form.is_valid():
        try:
            new = services.feedback_link_create(
                child=child, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown in answer to the POST, not after a redirect: the address exists nowhere else,
            # not even in the session, so it cannot be shown again (see the page's wording).
            context = {"child": child, "link": new.link, "url": new.url}
            return render(request, "risk_assessment/feedback_link_created.html", context)
    return render(
        request, "risk_assessment/feedback_link_form.html", {"child": child, "form": form}
    )


@require_GET
@child_record_view
def child_feedback(request, child):
    page = Paginator(child_feedback_links(child), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {
        "child": child,
        "page_obj": page,
        "rows": [(link, link_state(link, now)) for link in page],
        "can_request": can_request_feedback(request.user, child),
    }
    return render(request, "risk_assessment/feedback_child.html", context)


@require_GET
def feedback_summary(request):
    if not can_view_feedback_summary(request.user):
        raise PermissionDenied
    start, end = default_period()
    filtered = request.GET.keys() - {"page"}
    form = FeedbackPeriodForm(
        request.GET if filtered else None, initial={"start": start, "end": end}
    )
    figures = None
    if not form.is_bound:
        figures = _summary_figures(request, start=start, end=end)
    elif form.is_valid():
        figures = _summary_figures(request, **form.cleaned_data)
    return render(
        request, "risk_assessment/feedback_summary.html", {"form": form, "figures": figures}
    )


def _summary_figures(request, *, start, end, meeting_kind=""):
    links = links_in_period(request.user, start=start, end=end, meeting_kind=meeting_kind)
    rates = response_rates(links)
    comments = Paginator(comments_in_period(links), PAGE_SIZE)
    return {
        "start": start,
        "end": end,
        "rates": rates,
        "total": total_row(rates),
        "answers": answer_distribution(links),
        "page_obj": comments.get_page(request.GET.get("page")),
        "query_string": _without_page(request),
    }


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- The public form: no account, the token is the only key --------------------------------------
def _unavailable(request):
    # One page, one status for unknown, malformed and expired links: nothing says which it was.
    return render(request, "risk_assessment/feedback_unavailable.html", PUBLIC_LAYOUT, status=404)


def _already_answered(request):
    return render(request, "risk_assessment/feedback_already_answered.html", PUBLIC_LAYOUT)


@login_not_required
@mfa_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_respond(request, token):
    link = feedback_links_for_token(token).first()
    if link is None:
        return _unavailable(request)
    state = link_state(link)
    if state == LinkState.ANSWERED:
        return _already_answered(request)
    if state == LinkState.EXPIRED:
        return _unavailable(request)
    form = FeedbackResponseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.feedback_respond(token=token, **form.cleaned_data)
        except services.FeedbackAlreadyGiven:
            return _already_answered(request)
        except services.FeedbackLinkUnavailable:
            return _unavailable(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("risk_assessment:feedback_thanks")
    # Only the kind and the date of the meeting: nothing else from the record reaches this page.
    context = {
        **PUBLIC_LAYOUT,
        "form": form,
        "meeting": public_meeting_name(link),
        "meeting_on": link.meeting_on,
    }
    return render(request, "risk_assessment/feedback_respond.html", context)


@login_not_required
@mfa_not_required
@never_cache
@require_GET
def feedback_thanks(request):
    return render(request, "risk_assessment/feedback_thanks.html", PUBLIC_LAYOUT)
