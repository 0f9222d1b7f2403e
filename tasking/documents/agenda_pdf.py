"""A tasking meeting's agenda as PDF: an HTML print template rendered by WeasyPrint."""

from django.template.loader import render_to_string
from weasyprint import HTML

from tasking.documents.agenda_content import AgendaDocument


def agenda_pdf(document: AgendaDocument) -> bytes:
    """Render the agenda to PDF bytes (A4, council name, marking and page numbers in margins)."""
    html = render_to_string("documents/tasking_agenda.html", {"doc": document})
    # The template holds its own styles and loads nothing else, so no base URL is needed.
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
