"""The child's chronology (every area's events on one timeline) and case notes."""

import dataclasses
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.audit.models import CaseEvent
from cre_portal.timescales import LONDON
from referrals.forms.notes import CaseNoteForm, ChronologyFilterForm
from referrals.models import Child
from referrals.permissions.referrals import can_add_case_note, visible_case_notes
from referrals.record_access import child_record_view, open_record
from referrals.services.notes import case_note_create
from referrals.views.referrals import add_service_errors, posted

PAGE_SIZE = 25
NOTE_TYPE = "referrals.casenote"
# The page each kind of record opens on (addressed by the record's pk); events about other
# records are listed without a link.
OBJECT_URLS = {
    "referrals.referral": "referrals:referral_detail",
    NOTE_TYPE: "referrals:case_note_detail",
    "referrals.missingepisode": "referrals:missing_episode_detail",
    "referrals.nrmreferral": "referrals:nrm_detail",
    # Records kept downstream; only their URL names are known here, nothing is imported.
    "risk_assessment.assessment": "risk_assessment:assessment_detail",
    "risk_assessment.professionalsmeeting": "risk_assessment:meeting_detail",
    "risk_assessment.offeritem": "risk_assessment:offer_item_detail",
}

# Tag colours tell the categories apart at a glance; the words carry the meaning.
CATEGORY_TAGS: dict[str, str] = {
    CaseEvent.Category.CHILD: "govuk-tag--grey",
    CaseEvent.Category.REFERRAL: "",
    CaseEvent.Category.MISSING: "govuk-tag--orange",
    CaseEvent.Category.RHI: "govuk-tag--yellow",
    CaseEvent.Category.NRM: "govuk-tag--purple",
    CaseEvent.Category.NOTE: "govuk-tag--teal",
    CaseEvent.Category.ASSESSMENT: "govuk-tag--pink",
    CaseEvent.Category.MEETING: "govuk-tag--turquoise",
    CaseEvent.Category.ACTION: "govuk-tag--magenta",
    CaseEvent.Category.TASKING: "govuk-tag--blue",
}


@dataclasses.dataclass(frozen=True)
class Entry:
    event: CaseEvent
    url: str
    tag_class: str
    note_text: str
    # Steps recorded by date only sit at midnight; the page shows them without a time.
    has_time: bool


def _record_url(event: CaseEvent) -> str:
    """The page of the record an event is about, or "" when there is none to link to."""
    if event.object_type not in OBJECT_URLS:
        return ""
    try:
        return reverse(OBJECT_URLS[event.object_type], args=[event.object_id])
    except NoReverseMatch:  # the area has no such page (yet), or the id is not its kind
        return ""


def _entries(events: list[CaseEvent], child: Child) -> list[Entry]:
    """The page's events with their links and, for notes, the note's text (one query)."""
    note_ids = [event.object_id for event in events if event.object_type == NOTE_TYPE]
    notes = child.case_notes.filter(pk__in=note_ids).values_list("pk", "text") if note_ids else []
    texts = {str(pk): text for pk, text in notes}
    return [
        Entry(
            event=event,
            url=_record_url(event),
            tag_class=CATEGORY_TAGS.get(event.category, "govuk-tag--grey"),
            note_text=texts.get(event.object_id, ""),
            has_time=event.occurred_at.astimezone(LONDON).time() != datetime.time.min,
        )
        for event in events
    ]


@require_GET
@child_record_view
def child_chronology(request, child):
    form = ChronologyFilterForm(request.GET or None)
    events = form.filter(CaseEvent.objects.filter(child_id=child.pk).select_related("actor"))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "child": child,
        "form": form,
        "page_obj": page,
        "entries": _entries(list(page.object_list), child),
        "query_string": query.urlencode(),
        "can_add_note": can_add_case_note(request.user, child),
    }
    return render(request, "referrals/chronology.html", context)


@require_http_methods(["GET", "POST"])
@child_record_view
def case_note_create_view(request, child):
    if not can_add_case_note(request.user, child):
        raise PermissionDenied
    form = CaseNoteForm(posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            case_note_create(
                child=child,
                actor=request.user,
                occurred_at=data["occurred_at"],
                title=data["title"],
                text=data["text"],
                is_significant=data["is_significant"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Case note added")
            return redirect("referrals:child_chronology", pk=child.pk)
    return render(request, "referrals/case_note_form.html", {"child": child, "form": form})


@require_GET
def case_note_detail(request, pk):
    notes = visible_case_notes(request.user).select_related("child", "author")
    note = get_object_or_404(notes, pk=pk)
    context = {"note": note, "child": note.child}
    return open_record(request, note, note.child) or render(
        request, "referrals/case_note_detail.html", context
    )
