"""The report as PDF: the print template rendered by WeasyPrint, charts embedded as SVG."""

import base64
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

from reports.renderers import labels
from reports.renderers.charts import PDF_FONT_SIZE, PDF_WIDTH_INCHES, chart_svg
from reports.renderers.report import Report
from reports.renderers.sections import build_report

TEMPLATE = "reports/pdf/corporate_parenting.html"


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def pdf_context(report: Report) -> dict[str, Any]:
    sections = [
        (
            b,
            _data_uri(chart_svg(b, report.periods, width=PDF_WIDTH_INCHES, font_size=PDF_FONT_SIZE))
            if b.chart
            else None,
        )
        for b in report.breakdowns
    ]
    return {
        "report": report,
        "sections": sections,
        "generated": labels.generated_label(report.generated_at),
        "suppression_note": labels.SUPPRESSION_NOTE,
        "exact_note": labels.EXACT_NOTE,
        "not_for_publication": labels.NOT_FOR_PUBLICATION,
    }


def pdf_document(figures: dict[str, Any], *, meta: dict[str, Any]) -> Document:
    """The laid-out pages, before they are written as PDF (tests read them)."""
    html = render_to_string(TEMPLATE, pdf_context(build_report(figures, meta=meta)))
    # Everything is inline (data: URIs); refuse any other URL rather than fetch it.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).render()


def render_pdf(figures: dict[str, Any], *, meta: dict[str, Any]) -> bytes:
    """The report as A4 PDF bytes: cover, key figures, a chart and table per breakdown."""
    return pdf_document(figures, meta=meta).write_pdf()  # type: ignore[no-any-return]
