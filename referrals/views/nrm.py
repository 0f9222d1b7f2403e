"""NRM pages: the child's NRM tab, the list awaiting decisions, a referral and its steps."""

import dataclasses
import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.concurrency import StaleEdit
from cre_portal.timescales import working_days_between
from referrals.forms.nrm import (
    NrmConclusiveGroundsForm,
    NrmReasonableGroundsForm,
    NrmReconsiderationForm,
    NrmReferForm,
    NrmStartForm,
    NrmWithdrawForm,
)
from referrals.models import Decision, NrmReferral
from referrals.permissions.nrm import can_record_nrm, visible_nrm_referrals
from referrals.record_access import child_record_view, open_record
from referrals.services import nrm as services
from referrals.services.nrm import Step, long_date, nrm_open_steps

PAGE_SIZE = 25
STEP_CLOSED_NOTE = "That step is not open for this NRM referral now."
Status = NrmReferral.Status


# --- Clocks and the steps as a task list --------------------------------------------------------
def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def relative_due(due: datetime.date, today: datetime.date) -> str:
    """ "in 2 working days", "today", "overdue by 1 working day"."""
    if due == today:
        return "today"
    if due > today:
        return f"in {plural(working_days_between(today, due), 'working day')}"
    late = working_days_between(due, today)
    # Due on a Friday and looked at on the Saturday: late, but no working day has gone by.
    return f"overdue by {plural(late, 'working day')}" if late else "overdue"


@dataclasses.dataclass(frozen=True)
class Waiting:
    """What an NRM referral is waiting for, as one line for the lists."""

    text: str
    overdue: bool = False


def waiting_for(nrm: NrmReferral, today: datetime.date) -> Waiting | None:
    due = nrm.reasonable_grounds_due_on
    if nrm.status == Status.REFERRED and due:
        text = f"Reasonable grounds decision due {long_date(due)} ({relative_due(due, today)})"
        return Waiting(text, overdue=due < today)
    if nrm.status == Status.RECOVERY and nrm.recovery_period_ends_on:
        ends = long_date(nrm.recovery_period_ends_on)
        return Waiting(f"Conclusive grounds decision (no target date); recovery period to {ends}")
    if nrm.status == Status.RECONSIDERATION and nrm.reconsideration_requested_on:
        return Waiting(f"Reconsideration requested {long_date(nrm.reconsideration_requested_on)}")
    if nrm.status == Status.CONSIDERED:
        return Waiting("Referral not yet made")
    return None


@dataclasses.dataclass(frozen=True)
class Task:
    """One row of the GOV.UK task list; kind is done, todo, overdue or waiting."""

    name: str
    hint: str
    status: str
    kind: str
    url: str = ""


def _step_url(step: Step, nrm: NrmReferral, steps: frozenset[Step]) -> str:
    return reverse(f"referrals:nrm_{step}", args=[nrm.pk]) if step in steps else ""


def _decided(decision: str, day: datetime.date | None) -> str:
    return f"{Decision(decision).label}, {long_date(day)}" if decision and day else ""


def _referral_task(nrm: NrmReferral, steps: frozenset[Step]) -> Task:
    if nrm.referred_on:
        hint = f"{long_date(nrm.referred_on)} by {nrm.first_responder_organisation}"
        return Task("Referral to the NRM", hint, "Completed", "done")
    if Step.REFER in steps:
        url = _step_url(Step.REFER, nrm, steps)
        return Task("Record the referral to the NRM", "", "Not yet started", "todo", url)
    return Task("Referral to the NRM", "Not made", "Not applicable", "waiting")


def _reasonable_grounds_task(nrm: NrmReferral, steps: frozenset[Step], today) -> Task:
    name, due = "Reasonable grounds decision", nrm.reasonable_grounds_due_on
    decided = _decided(nrm.reasonable_grounds_decision, nrm.reasonable_grounds_on)
    url = _step_url(Step.REASONABLE_GROUNDS, nrm, steps)
    if url and nrm.status == Status.RECONSIDERATION:
        return Task(name, f"{decided}; reconsideration requested", "Reconsidering", "todo", url)
    if url and due:
        hint = f"Due {long_date(due)} ({relative_due(due, today)})"
        overdue = due < today
        return Task(
            name, hint, "Overdue" if overdue else "Due", "overdue" if overdue else "todo", url
        )
    if decided:
        return Task(name, decided, "Completed", "done")
    if nrm.status == Status.WITHDRAWN:
        return Task(name, "", "Not applicable", "waiting")
    return Task(name, "Due 5 working days after the referral", "Cannot start yet", "waiting")


def _recovery_task(nrm: NrmReferral, today: datetime.date) -> Task:
    name, ends = "Recovery period (at least 30 days)", nrm.recovery_period_ends_on
    if ends and nrm.reasonable_grounds_on:
        hint = f"From {long_date(nrm.reasonable_grounds_on)} to at least {long_date(ends)}"
        if ends <= today or nrm.status != Status.RECOVERY:
            return Task(name, hint, "Ended" if ends <= today else "Stopped", "done")
        return Task(name, hint, "In progress", "todo")
    if nrm.reasonable_grounds_decision or nrm.status == Status.WITHDRAWN:
        return Task(name, "", "Not applicable", "waiting")
    return Task(
        name, "Starts with a positive reasonable grounds decision", "Cannot start yet", "waiting"
    )


def _conclusive_grounds_task(nrm: NrmReferral, steps: frozenset[Step]) -> Task:
    name = "Conclusive grounds decision"
    decided = _decided(nrm.conclusive_grounds_decision, nrm.conclusive_grounds_on)
    url = _step_url(Step.CONCLUSIVE_GROUNDS, nrm, steps)
    if url and decided:
        return Task(name, f"{decided}; reconsideration requested", "Reconsidering", "todo", url)
    if url:
        return Task(name, "No target date", "Not yet started", "todo", url)
    if decided:
        return Task(name, decided, "Completed", "done")
    return Task(name, "After a positive reasonable grounds decision", "Cannot start yet", "waiting")


def _reconsideration_task(nrm: NrmReferral, steps: frozenset[Step]) -> Task | None:
    name = "Reconsideration"
    url = _step_url(Step.RECONSIDERATION, nrm, steps)
    if url:
        return Task("Request reconsideration", "Of the negative decision", "Optional", "todo", url)
    if nrm.reconsideration_requested_on:
        hint = f"Requested {long_date(nrm.reconsideration_requested_on)}"
        return Task(name, hint, "Requested", "done")
    return None


def nrm_tasks(nrm: NrmReferral, steps: frozenset[Step], today: datetime.date) -> list[Task]:
    considered = Task("Referral considered", long_date(nrm.considered_on), "Completed", "done")
    tasks = [
        considered,
        _referral_task(nrm, steps),
        _reasonable_grounds_task(nrm, steps, today),
        _recovery_task(nrm, today),
        _conclusive_grounds_task(nrm, steps),
        _reconsideration_task(nrm, steps),
    ]
    return [task for task in tasks if task]


# --- Pages --------------------------------------------------------------------------------------
@require_GET
def nrm_list(request):
    today = timezone.localdate()
    nrms = visible_nrm_referrals(request.user).awaiting_decision()
    page = Paginator(nrms, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(nrm, waiting_for(nrm, today)) for nrm in page]
    return render(request, "referrals/nrm_list.html", {"page_obj": page, "rows": rows})


@require_GET
@child_record_view
def child_nrm(request, child):
    today = timezone.localdate()
    page = Paginator(child.nrm_referrals.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "child": child,
        "page_obj": page,
        "rows": [(nrm, waiting_for(nrm, today)) for nrm in page],
        "can_record": can_record_nrm(request.user, child),
    }
    return render(request, "referrals/child_nrm.html", context)


@require_http_methods(["GET", "POST"])
@child_record_view
def nrm_create(request, child):
    if not can_record_nrm(request.user, child):
        raise PermissionDenied
    form = NrmStartForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            nrm = services.nrm_start(child=child, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "NRM referral started")
            return redirect("referrals:nrm_detail", nrm.pk)
    return render(request, "referrals/nrm_create.html", {"child": child, "form": form})


@require_GET
def nrm_detail(request, pk):
    nrm = get_object_or_404(visible_nrm_referrals(request.user), pk=pk)
    if sealed := open_record(request, nrm, nrm.child):
        return sealed
    may_record = can_record_nrm(request.user, nrm.child)
    steps = nrm_open_steps(nrm) if may_record else frozenset()
    context = {
        "child": nrm.child,
        "nrm": nrm,
        "tasks": nrm_tasks(nrm, steps, timezone.localdate()),
        "can_withdraw": Step.WITHDRAW in steps,
    }
    return render(request, "referrals/nrm_detail.html", context)


# --- One page per step --------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class StepPage:
    title: str
    form: type
    service: Callable[..., NrmReferral]
    done: str


STEP_PAGES = {
    Step.REFER: StepPage(
        "Record the referral to the NRM", NrmReferForm, services.nrm_refer, "Referral recorded"
    ),
    Step.REASONABLE_GROUNDS: StepPage(
        "Record the reasonable grounds decision",
        NrmReasonableGroundsForm,
        services.nrm_record_reasonable_grounds,
        "Reasonable grounds decision recorded",
    ),
    Step.CONCLUSIVE_GROUNDS: StepPage(
        "Record the conclusive grounds decision",
        NrmConclusiveGroundsForm,
        services.nrm_record_conclusive_grounds,
        "Conclusive grounds decision recorded",
    ),
    Step.RECONSIDERATION: StepPage(
        "Request reconsideration",
        NrmReconsiderationForm,
        services.nrm_request_reconsideration,
        "Reconsideration request recorded",
    ),
    Step.WITHDRAW: StepPage(
        "Withdraw the NRM referral",
        NrmWithdrawForm,
        services.nrm_withdraw,
        "NRM referral withdrawn",
    ),
}


def _record_step(request, pk, step: Step):
    """Show the step's form; on a valid POST, call its service and go back to the referral."""
    nrm = get_object_or_404(visible_nrm_referrals(request.user), pk=pk)
    if not can_record_nrm(request.user, nrm.child):
        raise PermissionDenied
    if sealed := open_record(request, nrm, nrm.child):
        return sealed
    if request.method == "GET" and step not in nrm_open_steps(nrm):
        messages.info(request, STEP_CLOSED_NOTE)
        return redirect("referrals:nrm_detail", nrm.pk)
    page = STEP_PAGES[step]
    data = request.POST if request.method == "POST" else None
    form = page.form(data, initial={"version": nrm.version})
    if form.is_valid():
        try:
            page.service(nrm=nrm, actor=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            nrm = _after_stale_edit(form, nrm, stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, page.done)
            return redirect("referrals:nrm_detail", nrm.pk)
    context = {"child": nrm.child, "nrm": nrm, "form": form, "title": page.title, "step": step}
    return render(request, "referrals/nrm_step.html", context)


def _after_stale_edit(form, nrm: NrmReferral, stale: StaleEdit) -> NrmReferral:
    """Keep the user's input, say what changed, and carry the current version to save again."""
    form.add_error(None, stale.message)
    nrm.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = nrm.version
    return nrm


@require_http_methods(["GET", "POST"])
def nrm_refer(request, pk):
    return _record_step(request, pk, Step.REFER)


@require_http_methods(["GET", "POST"])
def nrm_reasonable_grounds(request, pk):
    return _record_step(request, pk, Step.REASONABLE_GROUNDS)


@require_http_methods(["GET", "POST"])
def nrm_conclusive_grounds(request, pk):
    return _record_step(request, pk, Step.CONCLUSIVE_GROUNDS)


@require_http_methods(["GET", "POST"])
def nrm_reconsideration(request, pk):
    return _record_step(request, pk, Step.RECONSIDERATION)


@require_http_methods(["GET", "POST"])
def nrm_withdraw(request, pk):
    return _record_step(request, pk, Step.WITHDRAW)
