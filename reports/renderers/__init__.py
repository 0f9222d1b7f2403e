"""The outputs of the Corporate Parenting report, drawn from `report_figures`.

Each takes `{"current": figures, "previous": figures}` (suppressed for public outputs) and
`meta` = dict(title, council_name, period_start, period_end, generated_at, exact).
"""

from reports.renderers.charts import render_charts
from reports.renderers.docx import render_docx
from reports.renderers.pdf import render_pdf
from reports.renderers.pptx import render_pptx
from reports.renderers.xlsx import render_xlsx

__all__ = ["render_charts", "render_docx", "render_pdf", "render_pptx", "render_xlsx"]
