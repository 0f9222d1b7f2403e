"""Tasking action and escalation pages: adding an action at a meeting, an action's page and its
progress, "my actions", a group's actions, escalating, the chairs' escalations inbox, decisions.

Every action is looked up through `visible_actions` (a sealed covert action is a 404 to anyone
not cleared for it, exactly as if it did not exist) and every opening of one is logged.
"""

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.accounts.models import User
from cre_portal.audit.services import access_log_record
from cre_portal.concurrency import StaleEdit
from tasking.forms.actions import (
    ActionForm,
    ActionUpdateForm,
    EscalationDecideForm,
    EscalationForm,
    escalation_candidates,
)
from tasking.models import Action, Escalation, TaskingMeeting
from tasking.permissions.actions import can_create_action, can_update_action, visible_actions
from tasking.permissions.meetings import (
    CHAIR_TASKING,
    can_decide_escalation,
    can_raise_escalation,
    chaired_groups,
    meeting_groups,
    visible_escalations,
    visible_meetings,
)
from tasking.services import actions as services
from tasking.services import escalations as escalation_services
from tasking.services.agenda import agency_label
from tasking.services.meetings import attendance_candidates

PAGE_SIZE = 25
MeetingStatus = TaskingMeeting.Status


def with_agency_names(actions: Iterable[Action]) -> list[Action]:
    """The actions, each with `agency_name` for the page (owner_agency holds a code)."""
    rows = list(actions)
    for action in rows:
        action.agency_name = agency_label(action.owner_agency)  # type: ignore[attr-defined]
    return rows


def _data(request):
    return request.POST if request.method == "POST" else None


def _meeting(request, pk) -> TaskingMeeting:
    return get_object_or_404(visible_meetings(request.user), pk=pk)


def _open_action(request, pk) -> Action:
    """The action in the user's scope (404 otherwise), its opening logged.

    A covert action's read is logged without the child, so the child's "who has looked" page
    does not reveal to managers that a sealed action about the child exists.
    """
    action = get_object_or_404(visible_actions(request.user), pk=pk)
    child_id = None if action.nature == Action.Nature.COVERT else action.child_id
    access_log_record(user=request.user, obj=action, child_id=child_id)
    return action


# --- Actions ------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def action_create(request, pk):
    meeting = _meeting(request, pk)
    if not can_create_action(request.user, meeting):
        raise PermissionDenied
    if meeting.status not in (MeetingStatus.PUBLISHED, MeetingStatus.HELD):
        messages.info(request, "Actions are agreed once the agenda has been published.")
        return redirect("tasking:meeting_detail", meeting.pk)
    children, subjects = services.on_agenda(meeting)
    people_ids = [person.pk for person in attendance_candidates(meeting)]
    people = User.objects.filter(pk__in=people_ids).order_by("full_name", "email")
    form = ActionForm(_data(request), children=children, subjects=subjects, people=people)
    if form.is_valid():
        try:
            action = services.action_create(
                meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{action.get_nature_display()} action added")
            return redirect("tasking:meeting_detail", meeting.pk)
    context = {"group": meeting.group, "meeting": meeting, "form": form}
    return render(request, "tasking/action_form.html", context)


@require_GET
def action_detail(request, pk):
    action = _open_action(request, pk)
    with_agency_names([action])
    context = {
        "action": action,
        "can_update": can_update_action(request.user, action),
        "escalations": visible_escalations(request.user).filter(action=action),
    }
    return render(request, "tasking/action_detail.html", context)


@require_http_methods(["GET", "POST"])
def action_update(request, pk):
    action = _open_action(request, pk)
    if not can_update_action(request.user, action):
        raise PermissionDenied
    form = ActionUpdateForm(_data(request), initial=ActionUpdateForm.initial_for(action))
    if form.is_valid():
        try:
            services.action_update(action=action, actor=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            form.add_error(None, stale.message)
            data = request.POST.copy()
            data["version"] = str(Action.objects.values_list("version", flat=True).get(pk=pk))
            form.data = data
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action updated")
            return redirect("tasking:action_detail", action.pk)
    return render(request, "tasking/action_update.html", {"action": action, "form": form})


def _action_list(request, actions, *, template: str, **context):
    actions = actions.order_by("due_on", "created_at")
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_agency_names(page.object_list)
    return render(request, template, {"page_obj": page, **context})


@require_GET
def my_actions(request):
    actions = visible_actions(request.user).filter(owner=request.user).open()
    return _action_list(request, actions, template="tasking/action_mine.html")


@require_GET
def group_actions(request, pk):
    group = get_object_or_404(meeting_groups(request.user), pk=pk)
    actions = visible_actions(request.user).filter(group=group)
    return _action_list(request, actions, template="tasking/action_list.html", group=group)


# --- Escalations --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def escalation_create(request, pk):
    meeting = _meeting(request, pk)
    if not can_raise_escalation(request.user, meeting):
        raise PermissionDenied
    if meeting.status not in (MeetingStatus.PUBLISHED, MeetingStatus.HELD):
        messages.info(request, "Escalate from a meeting once its agenda has been published.")
        return redirect("tasking:meeting_detail", meeting.pk)
    children, subjects = services.on_agenda(meeting)
    actions = visible_actions(request.user).filter(
        group=meeting.group, nature=Action.Nature.IMMEDIATE
    )
    candidates = escalation_candidates(children, subjects, actions.open().order_by("due_on"))
    form = EscalationForm(_data(request), candidates=candidates)
    if form.is_valid():
        try:
            escalation_services.escalation_raise(
                meeting=meeting, actor=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            to = meeting.group.escalates_to
            messages.success(request, f"Escalated to {to.name if to else 'the group above'}")
            return redirect("tasking:meeting_detail", meeting.pk)
    context = {"group": meeting.group, "meeting": meeting, "form": form}
    return render(request, "tasking/escalation_form.html", context)


@require_GET
def escalation_list(request):
    """The chair's inbox: received and waiting for a decision; and those their groups raised."""
    if not request.user.has_perm(CHAIR_TASKING):
        raise PermissionDenied
    chaired = chaired_groups(request.user)
    escalations = visible_escalations(request.user)
    received = escalations.filter(to_group__in=chaired).exclude(status=Escalation.Status.DECIDED)
    raised = escalations.filter(from_group__in=chaired)
    page = Paginator(raised, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"received": received.order_by("created_at"), "page_obj": page}
    return render(request, "tasking/escalation_list.html", context)


def _escalation(request, pk) -> Escalation:
    escalation = get_object_or_404(visible_escalations(request.user), pk=pk)
    child = escalation.child or (escalation.action.child if escalation.action else None)
    access_log_record(user=request.user, obj=escalation, child_id=child.pk if child else None)
    return escalation


@require_GET
def escalation_detail(request, pk):
    escalation = _escalation(request, pk)
    context = {
        "escalation": escalation,
        "can_decide": can_decide_escalation(request.user, escalation),
        "action_visible": escalation.action_id is not None
        and visible_actions(request.user).filter(pk=escalation.action_id).exists(),
    }
    return render(request, "tasking/escalation_detail.html", context)


@require_http_methods(["GET", "POST"])
def escalation_decide(request, pk):
    escalation = _escalation(request, pk)
    if escalation.status == Escalation.Status.DECIDED:
        messages.info(request, "This escalation has already been decided.")
        return redirect("tasking:escalation_detail", escalation.pk)
    if not can_decide_escalation(request.user, escalation):
        raise PermissionDenied
    form = EscalationDecideForm(_data(request))
    if form.is_valid():
        try:
            escalation_services.escalation_decide(
                escalation=escalation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decision recorded. The raising group will see it.")
            return redirect("tasking:escalation_detail", escalation.pk)
    context = {"escalation": escalation, "form": form}
    return render(request, "tasking/escalation_decide.html", context)
