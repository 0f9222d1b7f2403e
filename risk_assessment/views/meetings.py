"""Professionals' meeting pages: the child's Meetings tab, booking, recording, actions, papers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cre_portal.audit.models import AccessLogEntry
from cre_portal.audit.services import access_log_record
from cre_portal.concurrency import StaleEdit
from referrals.record_access import child_record_view, has_broken_glass, open_record
from risk_assessment.documents.meeting_content import meeting_document
from risk_assessment.documents.meeting_docx import meeting_docx
from risk_assessment.documents.meeting_pdf import meeting_pdf
from risk_assessment.forms.meetings import (
    ActionForm,
    AttendeeForm,
    MeetingBookForm,
    MeetingCancelForm,
    MeetingEditForm,
    MeetingRecordForm,
)
from risk_assessment.models import ProfessionalsMeeting
from risk_assessment.permissions.meetings import (
    assessments_to_book_from,
    can_book_meeting,
    can_manage_meeting,
    can_update_action,
    required_chair_role,
    visible_meeting_actions,
    visible_meetings,
)
from risk_assessment.services import meetings as services

PAGE_SIZE = 25
Status = ProfessionalsMeeting.Status
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# --- The child's tab and booking ----------------------------------------------------------------
@require_GET
@child_record_view
def child_meetings(request, child):
    meetings = child.meetings.select_related("chair").order_by("-scheduled_for")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "child": child,
        "page_obj": page,
        "can_book": can_book_meeting(request.user, child),
        "chair_role": required_chair_role(child.risk_level) if child.risk_level else None,
    }
    return render(request, "risk_assessment/child_meetings.html", context)


def _book(request, child, assessment=None):
    """The booking form; the level (and so the chairs offered) is read afresh on each request."""
    if not can_book_meeting(request.user, child):
        raise PermissionDenied
    try:
        level, assessment = services.booking_level(child, assessment)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("risk_assessment:child_meetings", child.pk)
    form = MeetingBookForm(request.POST if request.method == "POST" else None, level=level)
    if form.is_valid():
        try:
            meeting = services.meeting_book(
                child=child, actor=request.user, assessment=assessment, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Meeting booked. Add who else is invited.")
            return redirect("risk_assessment:meeting_detail", meeting.pk)
    context = {"child": child, "form": form, "level": level, "assessment": assessment}
    return render(request, "risk_assessment/meeting_book.html", context)


@require_http_methods(["GET", "POST"])
@child_record_view
def meeting_book(request, child):
    return _book(request, child)


@require_http_methods(["GET", "POST"])
def meeting_book_from_assessment(request, pk):
    assessment = get_object_or_404(assessments_to_book_from(request.user), pk=pk)
    if sealed := open_record(request, assessment, assessment.child):
        return sealed
    return _book(request, assessment.child, assessment)


# --- A meeting ----------------------------------------------------------------------------------
def _open(request, pk, *, manage: bool = False):
    """The meeting in scope (404 otherwise), opened and logged; or the break-glass redirect."""
    meeting = get_object_or_404(visible_meetings(request.user), pk=pk)
    if manage and not can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting, open_record(request, meeting, meeting.child)


@require_GET
def meeting_detail(request, pk):
    meeting, sealed = _open(request, pk)
    if sealed:
        return sealed
    actions = meeting.actions.select_related("owner").order_by("due_on", "created_at")
    context = {
        "child": meeting.child,
        "meeting": meeting,
        "attendees": list(meeting.attendees.select_related("user")),
        "actions": [(action, can_update_action(request.user, action)) for action in actions],
        "can_manage": can_manage_meeting(request.user, meeting),
        "has_started": meeting.scheduled_for <= timezone.now(),
        "cancelled_because": services.cancellation_reason(meeting)
        if meeting.status == Status.CANCELLED
        else "",
    }
    return render(request, "risk_assessment/meeting_detail.html", context)


def _stale(form, meeting, stale: StaleEdit):
    """Keep the user's input, say what changed, and carry the current version to save again."""
    form.add_error(None, stale.message)
    meeting.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = meeting.version


def _not_now(request, meeting, message: str):
    messages.info(request, message)
    return redirect("risk_assessment:meeting_detail", meeting.pk)


def _save(request, form, meeting, service, **kwargs) -> bool:
    """Call the service with the form's answers; errors go on the form. True when saved."""
    try:
        service(meeting=meeting, actor=request.user, **kwargs)
    except StaleEdit as stale:
        _stale(form, meeting, stale)
    except ValidationError as error:
        form.add_error(None, error)
    else:
        return True
    return False


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting, sealed = _open(request, pk, manage=True)
    if sealed or meeting.status != Status.SCHEDULED:
        return sealed or _not_now(request, meeting, "Only a scheduled meeting can be changed.")
    data = request.POST if request.method == "POST" else None
    initial = MeetingEditForm.initial_for(meeting)
    form = MeetingEditForm(data, initial=initial, level=meeting.risk_level)
    if form.is_valid() and _save(
        request, form, meeting, services.meeting_update, **form.service_kwargs()
    ):
        messages.success(request, "Meeting details saved")
        return redirect("risk_assessment:meeting_detail", meeting.pk)
    context = {"child": meeting.child, "meeting": meeting, "form": form}
    return render(request, "risk_assessment/meeting_edit.html", context)


@require_http_methods(["GET", "POST"])
def meeting_attendee_add(request, pk):
    meeting, sealed = _open(request, pk, manage=True)
    if sealed or meeting.status == Status.CANCELLED:
        return sealed or _not_now(request, meeting, "This meeting has been cancelled.")
    form = AttendeeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.meeting_add_attendee(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Attendee added")
            if "add_another" in request.POST:
                return redirect("risk_assessment:meeting_attendee_add", meeting.pk)
            return redirect("risk_assessment:meeting_detail", meeting.pk)
    attendees = list(meeting.attendees.select_related("user"))
    context = {"child": meeting.child, "meeting": meeting, "form": form, "attendees": attendees}
    return render(request, "risk_assessment/meeting_attendee_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_record(request, pk):
    meeting, sealed = _open(request, pk, manage=True)
    if sealed or meeting.status == Status.CANCELLED:
        return sealed or _not_now(request, meeting, "A cancelled meeting cannot be recorded.")
    data = request.POST if request.method == "POST" else None
    initial = MeetingRecordForm.initial_for(meeting)
    form = MeetingRecordForm(data, initial=initial, meeting=meeting)
    if form.is_valid() and _save(
        request, form, meeting, services.meeting_record, **form.service_kwargs()
    ):
        messages.success(request, "The record of the meeting has been saved")
        return redirect("risk_assessment:meeting_detail", meeting.pk)
    context = {"child": meeting.child, "meeting": meeting, "form": form}
    return render(request, "risk_assessment/meeting_record.html", context)


@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting, sealed = _open(request, pk, manage=True)
    if sealed or meeting.status != Status.SCHEDULED:
        return sealed or _not_now(request, meeting, "Only a scheduled meeting can be cancelled.")
    data = request.POST if request.method == "POST" else None
    form = MeetingCancelForm(data, initial={"version": meeting.version})
    if form.is_valid() and _save(
        request, form, meeting, services.meeting_cancel, **form.cleaned_data
    ):
        messages.success(request, "Meeting cancelled")
        return redirect("risk_assessment:meeting_detail", meeting.pk)
    context = {"child": meeting.child, "meeting": meeting, "form": form}
    return render(request, "risk_assessment/meeting_cancel.html", context)


# --- Actions ------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def meeting_action_add(request, pk):
    meeting, sealed = _open(request, pk, manage=True)
    if sealed or meeting.status != Status.HELD:
        message = "Add actions once the meeting has been recorded as held."
        return sealed or _not_now(request, meeting, message)
    form = ActionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.action_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action added")
            return redirect("risk_assessment:meeting_detail", meeting.pk)
    context = {"child": meeting.child, "meeting": meeting, "form": form}
    return render(request, "risk_assessment/meeting_action_form.html", context)


def _update_action(request, pk, service, done: str):
    action = get_object_or_404(visible_meeting_actions(request.user), pk=pk)
    if not can_update_action(request.user, action):
        raise PermissionDenied
    if sealed := open_record(request, action, action.meeting.child):
        return sealed
    try:
        service(action=action, actor=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("risk_assessment:meeting_detail", action.meeting_id)


@require_POST
def meeting_action_done(request, pk):
    return _update_action(request, pk, services.action_complete, "Action marked as done")


@require_POST
def meeting_action_cancel(request, pk):
    return _update_action(request, pk, services.action_cancel, "Action cancelled")


# --- Agenda and minutes -------------------------------------------------------------------------
def _download(request, pk, *, kind: str, extension: str) -> HttpResponse:
    """The agenda or minutes as a file: a logged read, never cached, no name in the file name."""
    meeting = get_object_or_404(visible_meetings(request.user), pk=pk)
    child = meeting.child
    if child.is_restricted and not has_broken_glass(request, child):
        url = reverse("referrals:child_break_glass", args=[child.pk])
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    if kind == "minutes" and meeting.status != Status.HELD:
        return _not_now(request, meeting, "Minutes are ready once the meeting is recorded.")
    document = meeting_document(meeting, kind=kind, today=timezone.localdate())
    render_file = meeting_pdf if extension == "pdf" else meeting_docx
    access_log_record(
        user=request.user, obj=meeting, child_id=child.pk, action=AccessLogEntry.Action.DOWNLOAD
    )
    response = HttpResponse(render_file(document), content_type=CONTENT_TYPES[extension])
    filename = f"{document.filename_stem}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def meeting_agenda_pdf(request, pk):
    return _download(request, pk, kind="agenda", extension="pdf")


@require_GET
def meeting_agenda_docx(request, pk):
    return _download(request, pk, kind="agenda", extension="docx")


@require_GET
def meeting_minutes_pdf(request, pk):
    return _download(request, pk, kind="minutes", extension="pdf")


@require_GET
def meeting_minutes_docx(request, pk):
    return _download(request, pk, kind="minutes", extension="docx")
