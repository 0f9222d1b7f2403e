"""Bar charts of each breakdown, this period beside the previous one, drawn on the server.

Okabe-Ito blue and orange (told apart with any colour vision) and a hatch on the previous
period's bars, every bar labelled with its value, no gridlines but faint vertical ones. A value
of "<5" is drawn as an empty dashed bar up to 5 labelled "<5", never as its number; a "[c]"
(hidden so a "<5" cannot be worked out) gets no bar at all, as it may be 5 or more.
"""

import io
import textwrap
import threading
from typing import Any

from matplotlib import rc_context, rcParams
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from reports.renderers import labels
from reports.renderers.report import Breakdown, Periods, is_number, periods_of, show
from reports.renderers.sections import breakdowns

CURRENT_COLOUR = "#0072B2"
PREVIOUS_COLOUR = "#E69F00"
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#d8d8d8"
PREVIOUS_HATCH = "///"
BAR_HEIGHT = 0.38
# 450 CSS pixels: the width of half the GOV.UK page, where the chart sits beside its table;
# 11 points there are 15 pixels, next to the page's 16-pixel tables.
SCREEN_WIDTH_INCHES = 450 / 96
SCREEN_FONT_SIZE = 11
# Nearly half an A4 page, so the PDF prints the text at the size it was drawn.
PDF_WIDTH_INCHES = 3.4
PDF_FONT_SIZE = 9
RC: dict[RcKeyType, Any] = {
    # A generic family, so a missing Arial falls back quietly and the SVG ends in sans-serif.
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
    "font.size": 9,
    "text.color": TEXT_COLOUR,
    "axes.edgecolor": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "hatch.linewidth": 0.8,
    # Text stays text in the SVG (searchable, sharp at any size, "<5" readable by tests).
    "svg.fonttype": "none",
    "svg.hashsalt": "cre-portal-chart",
}
# rc_context changes matplotlib's global settings; one chart at a time in a threaded server.
_LOCK = threading.Lock()


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, width=24))


def _bar(axes: Axes, y: float, value: Any, *, previous: bool) -> float:
    """Draw one bar with its label; the x where the bar ends."""
    colour = PREVIOUS_COLOUR if previous else CURRENT_COLOUR
    hatch = PREVIOUS_HATCH if previous else None
    if is_number(value):
        end = float(value)
        axes.barh(
            y,
            end,
            BAR_HEIGHT,
            color="white" if previous else colour,
            edgecolor=colour,
            hatch=hatch,
            linewidth=1,
        )
    elif value == labels.SUPPRESSED:
        end = 5.0
        axes.barh(y, end, BAR_HEIGHT, fill=False, edgecolor=colour, linestyle="--", linewidth=1)
    else:
        end = 0.0
    axes.annotate(
        show(value),
        (end, y),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        ha="left",
    )
    return end


def _plot(axes: Axes, breakdown: Breakdown) -> None:
    rows = breakdown.chart_rows
    ends = [0.0]
    for index, row in enumerate(rows):
        y = len(rows) - 1 - index  # first row at the top
        ends.append(_bar(axes, y + BAR_HEIGHT / 2, row.current, previous=False))
        ends.append(_bar(axes, y - BAR_HEIGHT / 2, row.previous, previous=True))
    axes.set_yticks(range(len(rows)), [_wrap(row.label) for row in reversed(rows)])
    axes.tick_params(axis="y", length=0)
    # Room after the longest bar for its label.
    axes.set_xlim(0, max(max(ends) * 1.18, 5.5))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="x", length=0)
    axes.set_xlabel(f"Number of {breakdown.unit.lower()}")


def _legend(figure: Figure, periods: Periods) -> None:
    handles = [
        Patch(
            facecolor=CURRENT_COLOUR,
            edgecolor=CURRENT_COLOUR,
            label=f"This period ({periods.current_short})",
        ),
        Patch(
            facecolor="white",
            edgecolor=PREVIOUS_COLOUR,
            hatch=PREVIOUS_HATCH,
            label=f"Previous period ({periods.previous_short})",
        ),
    ]
    figure.legend(handles=handles, loc="outside lower left", frameon=False, handlelength=1.6)


def draw(
    breakdown: Breakdown,
    periods: Periods,
    *,
    width: float,
    height: float | None = None,
    titled: bool = True,
) -> Figure:
    """The chart of one breakdown, as a matplotlib figure (call inside `rc_context(RC)`).

    Without a height, the chart grows with its number of bars.
    """
    rows = breakdown.chart_rows
    # Room for two lines of label per category, growing with the type.
    scale = rcParams["font.size"] / 9
    height = height or (1.5 + 0.5 * max(len(rows), 2)) * scale
    figure = Figure(figsize=(width, height), layout="constrained")
    if titled:
        figure.suptitle(breakdown.title, x=0.01, ha="left", fontsize="large", fontweight="bold")
    _legend(figure, periods)
    axes = figure.add_subplot()
    if rows:
        _plot(axes, breakdown)
    else:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Nobody to count in either period", ha="center", va="center")
    return figure


def _save(
    breakdown: Breakdown,
    periods: Periods,
    *,
    size: tuple[float, float | None],
    font_size: float = 9,
    titled: bool = True,
    **options: Any,
) -> bytes:
    buffer = io.BytesIO()
    width, height = size
    with _LOCK, rc_context(RC), rc_context({"font.size": font_size}):
        figure = draw(breakdown, periods, width=width, height=height, titled=titled)
        figure.savefig(buffer, **options)
    return buffer.getvalue()


def chart_svg(
    breakdown: Breakdown,
    periods: Periods,
    *,
    width: float = SCREEN_WIDTH_INCHES,
    font_size: float = SCREEN_FONT_SIZE,
) -> bytes:
    """The chart as SVG (half a GOV.UK page wide); no date inside, so it is reproducible."""
    return _save(
        breakdown,
        periods,
        size=(width, None),
        font_size=font_size,
        format="svg",
        metadata={"Date": None},
    )


def chart_png(
    breakdown: Breakdown,
    periods: Periods,
    *,
    size: tuple[float, float | None],
    font_size: float = 9,
    titled: bool = True,
) -> bytes:
    """The chart as a PNG for Word (grows with its bars) and slides (a fixed size)."""
    return _save(
        breakdown,
        periods,
        size=size,
        font_size=font_size,
        titled=titled,
        format="png",
        dpi=200,
        metadata={"Software": None},
    )


def render_charts(figures: dict[str, Any]) -> dict[str, bytes]:
    """An SVG per charted breakdown, keyed by its name (for example "referrals-by-type")."""
    periods = periods_of(figures)
    return {
        breakdown.name: chart_svg(breakdown, periods)
        for breakdown in breakdowns(figures)
        if breakdown.chart
    }
