from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from referrals.data_exchange.schema import FILE_LABELS
from referrals.forms.imports import CaseImportUploadForm
from referrals.models import CaseImport
from referrals.permissions.imports import can_import_cases, visible_case_imports
from referrals.services.imports import (
    CaseImportNotConfirmable,
    case_import_check,
    case_import_confirm,
)

PAGE_SIZE = 25


def _count_rows(counts):
    """(label, new, changed, unchanged) per file, for the preview table."""
    return [
        (FILE_LABELS.get(file, file), c["new"], c["changed"], c["unchanged"])
        for file, c in counts.items()
    ]


@require_GET
def import_list(request):
    if not can_import_cases(request.user):
        raise PermissionDenied
    imports = visible_case_imports(request.user)
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/import_list.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
def import_upload(request):
    if not can_import_cases(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = CaseImportUploadForm(request.POST, request.FILES)
    else:
        form = CaseImportUploadForm()
    if form.is_valid():
        upload = form.cleaned_data["file"]
        case_import = case_import_check(
            user=request.user, filename=upload.name, content=upload.read()
        )
        return redirect("referrals:import_detail", pk=case_import.pk)
    return render(request, "referrals/import_upload.html", {"form": form})


@require_GET
def import_detail(request, pk):
    case_import = get_object_or_404(visible_case_imports(request.user), pk=pk)
    problems = Paginator(case_import.problems, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "case_import": case_import,
        "problems": problems,
        "count_rows": _count_rows(case_import.counts),
        "Status": CaseImport.Status,
    }
    return render(request, "referrals/import_detail.html", context)


@require_POST
def import_confirm(request, pk):
    case_import = get_object_or_404(visible_case_imports(request.user), pk=pk)
    try:
        case_import = case_import_confirm(user=request.user, case_import=case_import)
    except CaseImportNotConfirmable as error:
        messages.error(request, error.message)
        return redirect("referrals:import_detail", pk=pk)
    if case_import.status == CaseImport.Status.APPLIED:
        messages.success(request, "The import has been applied")
    else:
        messages.error(request, "Nothing was imported: the records changed since the check")
    return redirect("referrals:import_detail", pk=pk)
