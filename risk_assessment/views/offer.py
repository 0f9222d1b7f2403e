"""CRE Offer pages: the child's Offer tab, adding support, one item and a page per step."""

import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.concurrency import StaleEdit
from referrals.record_access import child_record_view, open_record
from risk_assessment.forms.offer import (
    OfferItemAcceptForm,
    OfferItemAddForm,
    OfferItemDeclineForm,
    OfferItemEndForm,
    OfferItemNotOfferedForm,
    OfferItemOfferForm,
    OfferItemStartForm,
)
from risk_assessment.models import InterventionCategory, OfferItem
from risk_assessment.permissions.offer import can_plan_offer, visible_offer_items
from risk_assessment.services import offer as services
from risk_assessment.services.offer import OPEN, Step, latest_approved_assessment

PAGE_SIZE = 25
STEP_CLOSED_NOTE = "That step is not open for this support now."


# --- The Offer tab ------------------------------------------------------------------------------
def open_items_by_category(items: list[OfferItem]) -> list[tuple[str, list[OfferItem]]]:
    """The child's open items under their category headings, in the catalogue's category order."""
    groups: dict[str, list[OfferItem]] = {value: [] for value in InterventionCategory.values}
    for item in items:
        groups[item.intervention.category].append(item)
    return [
        (InterventionCategory(category).label, members)
        for category, members in groups.items()
        if members
    ]


@require_GET
@child_record_view
def child_offer(request, child):
    items = child.offer_items.select_related("intervention", "assessment")
    closed = items.exclude(status__in=OPEN).order_by("-updated_at")
    context = {
        "child": child,
        "assessment": latest_approved_assessment(child),
        "groups": open_items_by_category(
            list(items.filter(status__in=OPEN).order_by("intervention__name"))
        ),
        "page_obj": Paginator(closed, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_plan": can_plan_offer(request.user, child),
    }
    return render(request, "risk_assessment/child_offer.html", context)


@require_http_methods(["GET", "POST"])
@child_record_view
def offer_item_add(request, child):
    if not can_plan_offer(request.user, child):
        raise PermissionDenied
    form = OfferItemAddForm(
        request.POST if request.method == "POST" else None,
        interventions=services.addable_interventions(child),
    )
    if form.is_valid():
        try:
            item = services.offer_item_add(child=child, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{item.intervention.name} added to the CRE Offer")
            return redirect("risk_assessment:offer_item_detail", item.pk)
    context = {"child": child, "form": form, "assessment": latest_approved_assessment(child)}
    return render(request, "risk_assessment/offer_item_add.html", context)


# --- One item -----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class StepPage:
    title: str
    button: str
    form: type
    service: Callable[..., OfferItem]
    done: str


STEP_PAGES = {
    Step.OFFER: StepPage(
        "Record that it was offered",
        "Record as offered",
        OfferItemOfferForm,
        services.offer_item_offer,
        "Recorded as offered",
    ),
    Step.NOT_OFFERED: StepPage(
        "Record that it will not be offered",
        "Record as not offered",
        OfferItemNotOfferedForm,
        services.offer_item_not_offer,
        "Recorded as not offered",
    ),
    Step.ACCEPT: StepPage(
        "Record that it was accepted",
        "Record as accepted",
        OfferItemAcceptForm,
        services.offer_item_accept,
        "Recorded as accepted",
    ),
    Step.DECLINE: StepPage(
        "Record that it was declined",
        "Record as declined",
        OfferItemDeclineForm,
        services.offer_item_decline,
        "Recorded as declined",
    ),
    Step.START: StepPage(
        "Record that it started",
        "Record as started",
        OfferItemStartForm,
        services.offer_item_start,
        "Recorded as started",
    ),
    Step.END: StepPage(
        "Record that it ended",
        "Record as ended",
        OfferItemEndForm,
        services.offer_item_end,
        "Recorded as ended",
    ),
}


@require_GET
def offer_item_detail(request, pk):
    item = get_object_or_404(visible_offer_items(request.user), pk=pk)
    if sealed := open_record(request, item, item.child):
        return sealed
    steps = services.offer_item_open_steps(item) if can_plan_offer(request.user, item.child) else ()
    next_steps = [
        (reverse(f"risk_assessment:offer_item_{step}", args=[item.pk]), STEP_PAGES[step].button)
        for step in steps
    ]
    context = {"child": item.child, "item": item, "next_steps": next_steps}
    return render(request, "risk_assessment/offer_item_detail.html", context)


def _initial(item: OfferItem) -> dict:
    return {"version": item.version, "provider": item.provider}


def _record_step(request, pk, step: Step):
    """Show the step's form; on a valid POST, call its service and go back to the item."""
    item = get_object_or_404(visible_offer_items(request.user), pk=pk)
    if not can_plan_offer(request.user, item.child):
        raise PermissionDenied
    if sealed := open_record(request, item, item.child):
        return sealed
    if request.method == "GET" and step not in services.offer_item_open_steps(item):
        messages.info(request, STEP_CLOSED_NOTE)
        return redirect("risk_assessment:offer_item_detail", item.pk)
    page = STEP_PAGES[step]
    form = page.form(request.POST if request.method == "POST" else None, initial=_initial(item))
    if form.is_valid():
        try:
            page.service(item=item, actor=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            item = _after_stale_edit(form, item, stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{item.intervention.name}: {page.done.lower()}")
            return redirect("risk_assessment:offer_item_detail", item.pk)
    context = {"child": item.child, "item": item, "form": form, "title": page.title}
    return render(request, "risk_assessment/offer_item_step.html", context)


def _after_stale_edit(form, item: OfferItem, stale: StaleEdit) -> OfferItem:
    """Keep the user's input, say what changed, and carry the current version to save again."""
    form.add_error(None, stale.message)
    item.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = item.version
    return item


@require_http_methods(["GET", "POST"])
def offer_item_offer(request, pk):
    return _record_step(request, pk, Step.OFFER)


@require_http_methods(["GET", "POST"])
def offer_item_not_offered(request, pk):
    return _record_step(request, pk, Step.NOT_OFFERED)


@require_http_methods(["GET", "POST"])
def offer_item_accept(request, pk):
    return _record_step(request, pk, Step.ACCEPT)


@require_http_methods(["GET", "POST"])
def offer_item_decline(request, pk):
    return _record_step(request, pk, Step.DECLINE)


@require_http_methods(["GET", "POST"])
def offer_item_start(request, pk):
    return _record_step(request, pk, Step.START)


@require_http_methods(["GET", "POST"])
def offer_item_end(request, pk):
    return _record_step(request, pk, Step.END)
