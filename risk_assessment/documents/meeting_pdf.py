"""A meeting's agenda or minutes as PDF: an HTML print template rendered by WeasyPrint."""

from django.template.loader import render_to_string
from weasyprint import HTML

from risk_assessment.documents.meeting_content import MeetingDocument


def meeting_pdf(document: MeetingDocument) -> bytes:
    """Render the agenda or minutes to PDF bytes (A4, council name and page numbers in margins)."""
    html = render_to_string(f"documents/meeting_{document.kind}.html", {"doc": document})
    # The template holds its own styles and loads nothing else, so no base URL is needed.
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
