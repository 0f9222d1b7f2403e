"""Tasking meeting pages: a group's meetings, planning, the agenda (draft, edit, publish),
attendance, minutes, holding the meeting, and the agenda as PDF or Word.

Meetings are looked up through `visible_meetings` (404 outside it); the chair's pages then ask
`can_chair_meeting` (403 for members who may see but not run the meeting).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cre_portal.audit.models import AccessLogEntry
from cre_portal.audit.services import access_log_record
from cre_portal.concurrency import StaleEdit
from referrals.permissions.children import visible_children
from referrals.record_access import BREAK_GLASS_SESSION_KEY
from tasking.documents.agenda_content import agenda_document
from tasking.documents.agenda_docx import agenda_docx
from tasking.documents.agenda_pdf import agenda_pdf
from tasking.forms.meetings import (
    AgendaItemAddForm,
    AgendaItemForm,
    AttendanceForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
)
from tasking.models import TaskingMeeting
from tasking.permissions.actions import can_create_action, visible_actions
from tasking.permissions.meetings import (
    can_chair_meeting,
    can_plan_meeting,
    can_raise_escalation,
    can_see_agenda,
    meeting_groups,
    visible_agenda_items,
    visible_escalations,
    visible_meetings,
)
from tasking.services import agenda as agenda_services
from tasking.services import meetings as services
from tasking.views.actions import with_agency_names

PAGE_SIZE = 25
Status = TaskingMeeting.Status
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _data(request):
    return request.POST if request.method == "POST" else None


def _call(form, meeting, service, /, **kwargs) -> bool:
    """Call the service; its errors (and a stale edit) go on the form. True when it worked.

    On a stale edit the user's input stays, and the form carries the meeting's current version
    so that saving again (after checking) goes through.
    """
    try:
        service(**kwargs)
    except StaleEdit as stale:
        form.add_error(None, stale.message)
        meeting.refresh_from_db(fields=["version"])
        form.data = form.data.copy()
        form.data["version"] = meeting.version
    except ValidationError as error:
        form.add_error(None, error)
    else:
        return True
    return False


def _meeting(request, pk, *, chair: bool = False) -> TaskingMeeting:
    meeting = get_object_or_404(visible_meetings(request.user), pk=pk)
    if chair and not can_chair_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _not_now(request, meeting, message: str):
    messages.info(request, message)
    return redirect("tasking:meeting_detail", meeting.pk)


# --- A group's meetings, planning ---------------------------------------------------------------
@require_GET
def meeting_list(request, pk):
    group = get_object_or_404(meeting_groups(request.user), pk=pk)
    meetings = visible_meetings(request.user).filter(group=group).order_by("-scheduled_for")
    context = {
        "group": group,
        "page_obj": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_plan": can_plan_meeting(request.user, group),
        "open_actions": visible_actions(request.user).filter(group=group).open().count(),
        "raised": visible_escalations(request.user).filter(from_group=group)[:10],
    }
    return render(request, "tasking/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    group = get_object_or_404(meeting_groups(request.user), pk=pk)
    if not can_plan_meeting(request.user, group):
        raise PermissionDenied
    form = MeetingForm(_data(request))
    if form.is_valid():
        try:
            meeting = services.meeting_create(
                group=group, actor=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Meeting planned. Build its agenda next.")
            return redirect("tasking:meeting_detail", meeting.pk)
    return render(request, "tasking/meeting_form.html", {"group": group, "form": form})


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    if not can_plan_meeting(request.user, meeting.group):
        raise PermissionDenied
    if meeting.status not in (Status.PLANNED, Status.PUBLISHED):
        return _not_now(request, meeting, "This meeting can no longer be changed.")
    form = MeetingEditForm(_data(request), initial=MeetingEditForm.initial_for(meeting))
    kwargs = form.service_kwargs() if form.is_valid() else None
    if kwargs and _call(
        form, meeting, services.meeting_update, meeting=meeting, actor=request.user, **kwargs
    ):
        messages.success(request, "Meeting details saved")
        return redirect("tasking:meeting_detail", meeting.pk)
    context = {"group": meeting.group, "meeting": meeting, "form": form}
    return render(request, "tasking/meeting_form.html", context)


# --- A meeting ----------------------------------------------------------------------------------
def _agenda_rows(request, meeting) -> list[dict]:
    """The items with their reason and, for children the user may open, a link."""
    items = list(meeting.agenda_items.select_related("child", "subject", "escalation"))
    child_ids = [item.child_id for item in items if item.child_id]
    children = visible_children(request.user).filter(pk__in=child_ids)
    openable = set(children.values_list("pk", flat=True))
    return [
        {
            "item": item,
            "number": number,
            "reason": agenda_services.REASONS.get(item.kind, ""),
            "child_link": item.child_id in openable,
        }
        for number, item in enumerate(items, start=1)
    ]


@require_GET
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    access_log_record(user=request.user, obj=meeting, child_id=None)
    user = request.user
    show_agenda = can_see_agenda(user, meeting)
    context = {
        "group": meeting.group,
        "meeting": meeting,
        "rows": _agenda_rows(request, meeting) if show_agenda else [],
        "show_agenda": show_agenda,
        "is_chair": can_chair_meeting(user, meeting),
        "can_plan": can_plan_meeting(user, meeting.group),
        "can_add_action": can_create_action(user, meeting),
        "can_escalate": can_raise_escalation(user, meeting),
        "attendance": list(meeting.attendance.select_related("user").order_by("user__full_name")),
        "actions": with_agency_names(visible_actions(user).filter(meeting=meeting)),
        "has_started": meeting.scheduled_for <= timezone.now(),
    }
    return render(request, "tasking/meeting_detail.html", context)


# --- The chair's agenda -------------------------------------------------------------------------
@require_POST
def agenda_draft(request, pk):
    meeting = _meeting(request, pk, chair=True)
    try:
        added = agenda_services.agenda_draft(meeting=meeting, actor=request.user)
    except ValidationError as error:
        return _not_now(request, meeting, " ".join(error.messages))
    if added:
        messages.success(request, f"{len(added)} new item(s) proposed from the data")
    else:
        messages.success(request, "No new items: the agenda already has everything proposed")
    return redirect("tasking:meeting_detail", meeting.pk)


@require_http_methods(["GET", "POST"])
def agenda_item_add(request, pk):
    meeting = _meeting(request, pk, chair=True)
    if meeting.status != Status.PLANNED:
        return _not_now(request, meeting, "The agenda has been published.")
    form = AgendaItemAddForm(_data(request))
    add = agenda_services.agenda_item_add
    if form.is_valid() and _call(
        form, meeting, add, meeting=meeting, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, "Item added to the agenda")
        return redirect("tasking:meeting_detail", meeting.pk)
    context = {"group": meeting.group, "meeting": meeting, "form": form}
    return render(request, "tasking/meeting_item_add.html", context)


def _item(request, pk):
    item = get_object_or_404(visible_agenda_items(request.user), pk=pk)
    if not can_chair_meeting(request.user, item.meeting):
        raise PermissionDenied
    return item


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, pk):
    item = _item(request, pk)
    meeting = item.meeting
    if meeting.status != Status.PLANNED:
        return _not_now(request, meeting, "The agenda has been published.")
    order = list(meeting.agenda_items.values_list("pk", flat=True))
    initial = AgendaItemForm.initial_for(item, order.index(item.pk) + 1)
    form = AgendaItemForm(_data(request), initial=initial)
    update = agenda_services.agenda_item_update
    if form.is_valid() and _call(
        form, meeting, update, item=item, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, "Agenda item saved")
        return redirect("tasking:meeting_detail", meeting.pk)
    context = {"group": meeting.group, "meeting": meeting, "item": item, "form": form}
    return render(request, "tasking/meeting_item_edit.html", context)


@require_http_methods(["GET", "POST"])
def agenda_item_minutes(request, pk):
    item = _item(request, pk)
    meeting = item.meeting
    if meeting.status not in (Status.PUBLISHED, Status.HELD) or not item.is_included:
        return _not_now(request, meeting, "Minutes are taken for items on a published agenda.")
    form = MinutesForm(_data(request), initial={"minutes": item.minutes})
    minutes = services.agenda_item_minutes
    if form.is_valid() and _call(
        form, meeting, minutes, item=item, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, "Minutes saved")
        return redirect("tasking:meeting_detail", meeting.pk)
    context = {"group": meeting.group, "meeting": meeting, "item": item, "form": form}
    return render(request, "tasking/meeting_item_minutes.html", context)


def _confirm(request, pk, *, service, status: str, template: str, done: str, not_now: str):
    """A page asking the chair to confirm a step, and the POST that takes it."""
    meeting = _meeting(request, pk, chair=True)
    if meeting.status != status:
        return _not_now(request, meeting, not_now)
    errors: list[str] = []
    if request.method == "POST":
        try:
            service(meeting=meeting, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, done)
            return redirect("tasking:meeting_detail", meeting.pk)
    included = meeting.agenda_items.filter(is_included=True).count()
    context = {"group": meeting.group, "meeting": meeting, "errors": errors, "included": included}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def agenda_publish(request, pk):
    return _confirm(
        request,
        pk,
        service=agenda_services.agenda_publish,
        status=Status.PLANNED,
        template="tasking/meeting_publish.html",
        done="Agenda published. Members can now see it and the children on it.",
        not_now="The agenda has already been published.",
    )


@require_http_methods(["GET", "POST"])
def meeting_hold(request, pk):
    return _confirm(
        request,
        pk,
        service=services.meeting_hold,
        status=Status.PUBLISHED,
        template="tasking/meeting_hold.html",
        done="The meeting has been recorded as held",
        not_now="Only a meeting with a published agenda can be recorded as held.",
    )


@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk):
    meeting = _meeting(request, pk, chair=True)
    if meeting.status not in (Status.PUBLISHED, Status.HELD):
        return _not_now(request, meeting, "Attendance is recorded once the agenda is published.")
    people = services.attendance_candidates(meeting)
    came = [str(row.user_id) for row in meeting.attendance.all() if row.attended]
    form = AttendanceForm(_data(request), initial={"attended": came}, people=people)
    record = services.meeting_record_attendance
    if form.is_valid() and _call(
        form, meeting, record, meeting=meeting, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, "Attendance saved")
        return redirect("tasking:meeting_detail", meeting.pk)
    context = {"group": meeting.group, "meeting": meeting, "form": form}
    return render(request, "tasking/meeting_attendance.html", context)


# --- The agenda as a file -----------------------------------------------------------------------
def _download(request, pk, *, extension: str) -> HttpResponse:
    """A logged read, never cached, with no name in the file name."""
    meeting = _meeting(request, pk)
    if not can_see_agenda(request.user, meeting):
        raise PermissionDenied
    opened = request.session.get(BREAK_GLASS_SESSION_KEY, [])
    today = timezone.localdate()
    document = agenda_document(meeting, viewer=request.user, opened=opened, today=today)
    render_file = agenda_pdf if extension == "pdf" else agenda_docx
    download = AccessLogEntry.Action.DOWNLOAD
    access_log_record(user=request.user, obj=meeting, child_id=None, action=download)
    # The children named in the paper: each child's own log shows who took their name away.
    for child in document.named_children:
        access_log_record(user=request.user, obj=child, child_id=child.pk, action=download)
    response = HttpResponse(render_file(document), content_type=CONTENT_TYPES[extension])
    filename = f"{document.filename_stem}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def agenda_pdf_download(request, pk):
    return _download(request, pk, extension="pdf")


@require_GET
def agenda_docx_download(request, pk):
    return _download(request, pk, extension="docx")
