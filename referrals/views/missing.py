"""Missing episodes, the return and the return home interview, and the missing-team view."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.concurrency import StaleEdit
from referrals.codes import ExploitationIndicator
from referrals.forms.missing import (
    InterviewReferralForm,
    MissingDashboardFilterForm,
    MissingEpisodeForm,
    MissingReturnForm,
    ReturnInterviewForm,
)
from referrals.models import MissingEpisode
from referrals.permissions.missing import (
    can_record_missing_episode,
    can_record_return_interview,
    can_start_referral_from_interview,
    visible_missing_episodes,
)
from referrals.record_access import child_record_view, open_record
from referrals.services.missing import (
    children_missing_now,
    interview_concerns,
    interview_referral_start,
    missing_episode_create,
    missing_episode_record_return,
    open_interviews,
    referral_started_event,
    return_interview_save,
    rhi_clock_label,
    rhi_state,
)

PAGE_SIZE = 25
FORM_METHODS = ["GET", "POST"]


def _repeat_rule() -> dict[str, int]:
    return {"episodes": settings.REPEAT_MISSING_EPISODES, "days": settings.REPEAT_MISSING_DAYS}


def episode_record_view(can: Callable[..., bool] | None = None) -> Callable:
    """For views addressed by an episode's pk: scope (404), capability (403), then open it."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: Any) -> HttpResponse:
            episodes = visible_missing_episodes(request.user).with_related()  # type: ignore[arg-type]
            episode = get_object_or_404(episodes, pk=pk)
            if can is not None and not can(request.user, episode):
                raise PermissionDenied
            return open_record(request, episode, episode.child) or view(request, episode)

        return wrapper

    return decorator


def _run(form, action: Callable[[], Any]) -> Any:
    """Call the service; a refusal goes to the top of the form and the user's input stays."""
    try:
        return action()
    except StaleEdit as stale:
        form.add_error(None, stale.message)
    except ValidationError as error:
        form.add_error(None, error.messages)
    return None


def _positive_interview(episode: MissingEpisode) -> Any:
    """The completed interview if its CRE screen found indicators, else None."""
    interview = getattr(episode, "return_interview", None)
    if interview is None or interview.completed_at is None or not interview.screens_positive:
        return None
    return interview


# --- Lists ------------------------------------------------------------------------------------
@require_GET
def missing_dashboard(request):
    filters = MissingDashboardFilterForm(request.GET or None, initial={"show": "all"})
    options = filters.filters()
    now = timezone.now()
    interviews = open_interviews(request.user, now=now, **options)
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    missing_now = children_missing_now(request.user)
    context = {
        "filters": filters,
        "options": options,
        "page_obj": page,
        "rows": [(episode, rhi_clock_label(episode.time_left)) for episode in page],
        "query_string": filters.query_string(),
        "missing_now": missing_now[:PAGE_SIZE],
        "missing_now_count": missing_now.count(),
    }
    return render(request, "referrals/missing_dashboard.html", context)


@require_GET
@child_record_view
def child_missing(request, child):
    now = timezone.now()
    episodes = child.missing_episodes.select_related("rhi_owner", "return_interview")
    page = Paginator(episodes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "child": child,
        "page_obj": page,
        "rows": [(episode, rhi_state(episode, now)) for episode in page],
        "can_record": can_record_missing_episode(request.user, child),
        "repeat_rule": _repeat_rule(),
    }
    return render(request, "referrals/child_missing.html", context)


# --- An episode -------------------------------------------------------------------------------
@require_http_methods(FORM_METHODS)
@child_record_view
def missing_episode_create_view(request, child):
    if not can_record_missing_episode(request.user, child):
        raise PermissionDenied
    form = MissingEpisodeForm(request.POST or None, initial={"rhi_owner": request.user.pk})
    if form.is_valid():
        episode = _run(
            form,
            lambda: missing_episode_create(
                child=child, actor=request.user, **form.service_kwargs()
            ),
        )
        if episode is not None:
            messages.success(request, f"Missing episode {episode.episode_ref} recorded")
            return redirect("referrals:missing_episode_detail", pk=episode.pk)
    return render(request, "referrals/missing_episode_form.html", {"child": child, "form": form})


@require_GET
@episode_record_view()
def missing_episode_detail(request, episode):
    interview = getattr(episode, "return_interview", None)
    referral_event = referral_started_event(episode)
    can_refer = _positive_interview(episode) and referral_event is None
    context = {
        "child": episode.child,
        "episode": episode,
        "interview": interview,
        "indicators": [
            ExploitationIndicator(code).label
            for code in (interview.exploitation_indicators if interview else [])
        ],
        "state": rhi_state(episode, timezone.now()),
        "can_record": can_record_return_interview(request.user, episode),
        "repeat_rule": _repeat_rule(),
        "referral_event": referral_event,
        "referral_form": InterviewReferralForm() if can_refer else None,
        "can_start_referral": can_refer
        and can_start_referral_from_interview(request.user, episode),
    }
    return render(request, "referrals/missing_episode_detail.html", context)


@require_http_methods(FORM_METHODS)
@episode_record_view(can_record_return_interview)
def missing_episode_return_view(request, episode):
    initial = MissingReturnForm.initial_for(episode)
    form = MissingReturnForm(request.POST or None, started_at=episode.started_at, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        saved = _run(
            form,
            lambda: missing_episode_record_return(
                episode=episode,
                actor=request.user,
                ended_at=data["ended_at"],
                where_found=data["where_found"],
                expected_version=data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, "Return recorded: the 72-hour interview clock has started")
            return redirect("referrals:missing_episode_detail", pk=episode.pk)
    context = {"child": episode.child, "episode": episode, "form": form}
    return render(request, "referrals/missing_return_form.html", context)


@require_http_methods(FORM_METHODS)
@episode_record_view(can_record_return_interview)
def return_interview_view(request, episode):
    if episode.ended_at is None:
        messages.warning(request, "Record the child's return before the return home interview")
        return redirect("referrals:missing_episode_return", pk=episode.pk)
    initial = ReturnInterviewForm.initial_for(episode)
    form = ReturnInterviewForm(request.POST or None, ended_at=episode.ended_at, initial=initial)
    if form.is_valid():
        saved = _run(
            form,
            lambda: return_interview_save(
                episode=episode, actor=request.user, **form.service_kwargs()
            ),
        )
        if saved is not None:
            messages.success(request, "Return home interview saved")
            return redirect("referrals:missing_episode_detail", pk=episode.pk)
    context = {"child": episode.child, "episode": episode, "form": form}
    return render(request, "referrals/missing_interview_form.html", context)


@require_http_methods(FORM_METHODS)
@episode_record_view(can_start_referral_from_interview)
def interview_referral_start_view(request, episode):
    interview = _positive_interview(episode)
    if interview is None or referral_started_event(episode) is not None:
        messages.warning(request, "This interview cannot start a CRE referral")
        return redirect("referrals:missing_episode_detail", pk=episode.pk)
    form = InterviewReferralForm(request.POST or None)
    if form.is_valid():
        referral = _run(
            form,
            lambda: interview_referral_start(
                episode=episode, actor=request.user, **form.cleaned_data
            ),
        )
        if referral is not None:
            messages.success(request, f"CRE referral {referral.referral_ref} started")
            return redirect("referrals:referral_detail", pk=referral.pk)
    context = {
        "child": episode.child,
        "episode": episode,
        "form": form,
        "concerns": interview_concerns(episode, interview),
    }
    return render(request, "referrals/missing_referral_start.html", context)
