"""Report runs, their files and schedules; stand-in renderers for tests that only need bytes."""

import datetime
import hashlib

import factory
from django.utils import timezone

from cre_portal.accounts.roles import Role
from reports import renderers
from reports.models import (
    Cadence,
    ReportFile,
    ReportKind,
    ReportRun,
    ReportSchedule,
    request_key_for,
)
from tests.accounts.factories import UserFactory

HALF_YEAR = datetime.timedelta(days=182)


class ReportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportRun

    kind = ReportKind.CORPORATE_PARENTING
    # Each run its own period, so no two are the same request.
    period_start = factory.Sequence(lambda n: datetime.date(2010, 1, 1) + datetime.timedelta(n))
    period_end = factory.LazyAttribute(lambda run: run.period_start + HALF_YEAR)
    exact = False
    requested_by = factory.SubFactory(UserFactory, roles=[Role.ANALYST])
    requested_at = factory.LazyFunction(timezone.now)
    request_key = factory.LazyAttribute(
        lambda run: request_key_for(run.kind, run.period_start, run.period_end, run.exact)
    )


class RunningReportRunFactory(ReportRunFactory):
    status = ReportRun.Status.RUNNING
    attempts = 1
    progress = 40
    progress_label = "Making the Word document"
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=2))
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))


class FailedReportRunFactory(ReportRunFactory):
    status = ReportRun.Status.FAILED
    attempts = 1
    error = "The PDF could not be made. Try again."
    finished_at = factory.LazyFunction(timezone.now)


class DoneReportRunFactory(ReportRunFactory):
    """A finished run with a small file in each of its kind's formats."""

    class Meta:
        skip_postgeneration_save = True

    status = ReportRun.Status.DONE
    attempts = 1
    progress = 100
    progress_label = "Ready"
    finished_at = factory.LazyFunction(timezone.now)
    figures = factory.LazyFunction(lambda: {"current": {}, "previous": {}})

    @factory.post_generation
    def files(self, create, extracted, **kwargs):
        for fmt in self.formats:
            content = f"{fmt} of run {self.pk}".encode()
            ReportFile.objects.create(
                run=self,
                format=fmt,
                filename=self.filename(fmt),
                content=content,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )


class ReportScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSchedule
        skip_postgeneration_save = True

    kind = ReportKind.CORPORATE_PARENTING
    name = factory.Sequence(lambda n: f"Committee report {n}")
    cadence = Cadence.SIX_MONTHLY
    days_after = 14
    exact = False

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if extracted:
            self.recipients.set(extracted)


# --- The request form, as posted -------------------------------------------------------------
def request_form(start: datetime.date, end: datetime.date) -> dict:
    """The report request form's fields for a public Corporate Parenting report."""
    return {
        "kind": "CORPORATE_PARENTING",
        "period_start_0": start.day,
        "period_start_1": start.month,
        "period_start_2": start.year,
        "period_end_0": end.day,
        "period_end_1": end.month,
        "period_end_2": end.year,
        "figures": "public",
    }


# --- Stand-in renderers -------------------------------------------------------------------------
RENDER_FUNCTIONS = ("render_pdf", "render_docx", "render_xlsx", "render_pptx")


def stub_renderers(monkeypatch, calls: list | None = None) -> list:
    """Replace the renderers with ones that return a few bytes naming the format and figures;
    returns the list each call is recorded in as (format, figures, meta, paper_sections)."""
    calls = [] if calls is None else calls

    def stub(fmt):
        def render(figures, *, meta, paper_sections=None):
            calls.append((fmt, figures, meta, paper_sections))
            return f"{fmt} {meta['period_start']} exact={meta['exact']}".encode()

        return render

    for name in RENDER_FUNCTIONS:
        monkeypatch.setattr(renderers, name, stub(name.removeprefix("render_")), raising=False)
    return calls
