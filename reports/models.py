"""Report runs and their files, the schedules that request them, and the committee paper's text.

A run is one request for one report (kind, period, exact or public figures). It is stored before
it is sent to the workers, so a broker outage never loses it (see reports/services/runs.py), and
it keeps the exact figures its files were made from, so a published report can be reproduced and
audited later.
"""

import datetime
import hashlib
import uuid

import pghistory
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch, Q

from cre_portal.models import BaseModel


# The looked-after children data pack is, for now, the simplest honest version: the Corporate
# Parenting figures for one calendar month, exact (it is for the operational tasking group, not
# for publication), as a workbook and a PDF. The figures cover every referred child; their
# looked-after breakdown (`children.looked_after`, `looked_after_by_legal_status`, `placed_in`)
# is the part the group reads. A pack restricted to looked-after children needs its own figures.
class ReportKind(models.TextChoices):
    CORPORATE_PARENTING = "CORPORATE_PARENTING", "Corporate Parenting report"
    LAC_DATA_PACK = "LAC_DATA_PACK", "Looked-after children data pack"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    XLSX = "xlsx", "Excel"
    PPTX = "pptx", "PowerPoint"


# What each file is called in sentences: "the Word document".
FORMAT_NAMES: dict[str, str] = {
    ReportFormat.PDF: "PDF",
    ReportFormat.DOCX: "Word document",
    ReportFormat.XLSX: "Excel workbook",
    ReportFormat.PPTX: "PowerPoint slides",
}
# The files each kind of report is made as, in the order they are made and listed.
FORMATS_BY_KIND: dict[str, tuple[str, ...]] = {
    ReportKind.CORPORATE_PARENTING: (
        ReportFormat.PDF,
        ReportFormat.DOCX,
        ReportFormat.XLSX,
        ReportFormat.PPTX,
    ),
    # The data pack is for the operational tasking group: a workbook to work from, a PDF to read.
    ReportKind.LAC_DATA_PACK: (ReportFormat.XLSX, ReportFormat.PDF),
}
CONTENT_TYPES: dict[str, str] = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def request_key_for(kind: str, start: datetime.date, end: datetime.date, exact: bool) -> str:
    """What makes two requests the same request: the kind, the period and exact or public."""
    text = f"{kind}|{start.isoformat()}|{end.isoformat()}|{'exact' if exact else 'public'}"
    return hashlib.sha256(text.encode()).hexdigest()


class ReportRunQuerySet(models.QuerySet["ReportRun"]):
    def live(self) -> "ReportRunQuerySet":
        """Runs that count as the answer to their request: any but a failed one."""
        return self.exclude(status=ReportRun.Status.FAILED)

    def for_listing(self) -> "ReportRunQuerySet":
        # The figures are read only to make the files; the files' bytes only to download them.
        return (
            self.defer("figures")
            .select_related("requested_by")
            .prefetch_related(
                Prefetch("files", queryset=ReportFile.objects.defer("content").order_by("pk"))
            )
        )


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange("status", "attempts")),
    fields=["status", "attempts", "error", "requested_by", "started_at", "finished_at"],
    model_name="ReportRunEvent",
    obj_field=pghistory.ObjForeignKey(related_name="events"),
)
class ReportRun(BaseModel):
    class Status(models.TextChoices):
        QUEUED = "QUEUED", "Queued"
        PUBLISHED = "PUBLISHED", "Waiting for a worker"
        RUNNING = "RUNNING", "Being made"
        DONE = "DONE", "Ready"
        FAILED = "FAILED", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    # Exact figures are for internal use only; the public version suppresses small counts.
    exact = models.BooleanField(default=False)
    # None when a schedule asked for it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_runs",
    )
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_label = models.CharField(max_length=80, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A job that kills its worker every time must fail, not be restarted for ever.
    attempt_limit = models.PositiveSmallIntegerField(default=3)
    # A reason a person can act on; never a traceback or anything about a child.
    error = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The exact figures the files were made from (public files suppress them on the way out).
    figures = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_key = models.CharField(max_length=64)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-created_at"]
        permissions = [
            ("view_reports", "See report runs and download public reports"),
            ("view_exact_figures", "See exact (unsuppressed) report figures"),
            ("generate_reports", "Request and retry report runs"),
        ]
        constraints = [
            # The same request made twice gives the same run; only a failed run may be repeated.
            models.UniqueConstraint(
                fields=["request_key"],
                condition=~Q(status="FAILED"),
                name="reportrun_one_live_run_per_request",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="reportrun_period_in_order",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportrun_progress_pct"),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="reportrun_status_req")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start} to {self.period_end}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def status_text(self) -> str:
        """The status as the people waiting for the report see it."""
        return RUN_STATUS_TEXT[self.status]

    @property
    def status_tag(self) -> str:
        """The GOV.UK tag colour of the status."""
        return RUN_STATUS_TAGS[self.status]

    @property
    def formats(self) -> tuple[str, ...]:
        return FORMATS_BY_KIND[self.kind]

    def filename(self, fmt: str) -> str:
        """A file name that says what the file is and, for exact figures, that it is not public."""
        kind = (
            "corporate-parenting-report"
            if self.kind == ReportKind.CORPORATE_PARENTING
            else ("lac-data-pack")
        )
        version = "exact-not-for-publication" if self.exact else "public"
        return f"{kind}-{self.period_start}-to-{self.period_end}-{version}.{fmt}"


# Queued and published look the same from outside: both are waiting for a worker.
RUN_STATUS_TEXT: dict[str, str] = {
    ReportRun.Status.QUEUED: "Waiting to start",
    ReportRun.Status.PUBLISHED: "Waiting to start",
    ReportRun.Status.RUNNING: "Being made",
    ReportRun.Status.DONE: "Ready",
    ReportRun.Status.FAILED: "Failed",
}
RUN_STATUS_TAGS: dict[str, str] = {
    ReportRun.Status.QUEUED: "govuk-tag--grey",
    ReportRun.Status.PUBLISHED: "govuk-tag--grey",
    ReportRun.Status.RUNNING: "govuk-tag--blue",
    ReportRun.Status.DONE: "govuk-tag--green",
    ReportRun.Status.FAILED: "govuk-tag--red",
}


class ReportFile(models.Model):
    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=4, choices=ReportFormat.choices)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            # A redelivered job must never leave two copies of a file.
            models.UniqueConstraint(fields=["run", "format"], name="reportfile_one_per_format")
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES[self.format]


class Cadence(models.TextChoices):
    SIX_MONTHLY = "SIX_MONTHLY", "Every six months (periods ending 31 March and 30 September)"
    MONTHLY = "MONTHLY", "Every month (calendar months)"


@pghistory.track()
class ReportSchedule(BaseModel):
    """A report that is requested by itself after each period, and who is told when it is ready."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    name = models.CharField(max_length=120)
    cadence = models.CharField(max_length=20, choices=Cadence.choices)
    days_after = models.PositiveSmallIntegerField("days after the end of the period", default=14)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="report_schedules"
    )
    exact = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    # The end of the last period whose report was generated and announced to the recipients.
    last_generated_period_end = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-active", "name"]
        permissions = [("manage_report_schedules", "Create, change and stop report schedules")]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class PaperTemplate(BaseModel):
    """The committee paper's own words, around the figures; report managers keep them current."""

    kind = models.CharField(
        max_length=30,
        choices=ReportKind.choices,
        unique=True,
        default=ReportKind.CORPORATE_PARENTING,
    )
    purpose = models.TextField("Purpose of the report", blank=True)
    recommendations = models.TextField("Recommendations", blank=True)
    reasons = models.TextField("Reasons for the recommendations", blank=True)
    supporting_information = models.TextField("Supporting information", blank=True)
    engagement = models.TextField("Public and stakeholder engagement", blank=True)
    other_options = models.TextField("Other options considered", blank=True)
    financial = models.TextField("Financial implications", blank=True)
    legal = models.TextField("Legal implications", blank=True)
    climate = models.TextField("Climate implications", blank=True)
    other_implications = models.TextField("Other implications", blank=True)
    version = models.PositiveIntegerField(default=1)

    SECTIONS = (
        "purpose",
        "recommendations",
        "reasons",
        "supporting_information",
        "engagement",
        "other_options",
        "financial",
        "legal",
        "climate",
        "other_implications",
    )

    class Meta:
        ordering = ["kind"]
        permissions = [("edit_paper_templates", "Edit the text of the committee paper")]

    def __str__(self) -> str:
        return f"Paper template: {self.get_kind_display()}"

    def sections(self) -> dict[str, str]:
        """The sections' text by name, in the paper's order."""
        return {name: getattr(self, name) for name in self.SECTIONS}
