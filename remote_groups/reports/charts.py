"""Bar charts drawn on the server as inline SVG: no script, readable in high contrast, and
labelled in words so nothing depends on colour. Each chart has a title and a description
for screen readers, and the page puts the same numbers in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 250
VALUE_SPACE = 80
ROW_HEIGHT = 32
BAR_HEIGHT = 20
TOP = 8
LABEL_CHARS = 28
INK = "#1a1a1a"
# Both at least 7:1 against white, so bars pass the 3:1 rule for graphics with room to spare.
SERIES_COLOURS = ("#0b4f8a", "#7a3e00")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str
    series: int = 0


def _short(label: str) -> str:
    """Long names are cut in the picture only; the table beside it has them in full."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar],
              max_value: float | None = None) -> Markup:
    """A horizontal bar chart. `max_value` fixes the scale (e.g. 5 for averages)."""
    top = max_value if max_value else max((b.value for b in bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_SPACE
    height = TOP * 2 + ROW_HEIGHT * max(len(bars), 1)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{LABEL_WIDTH}" y1="{TOP}" x2="{LABEL_WIDTH}" y2="{height - TOP}" '
        f'stroke="{INK}" stroke-width="1"/>',
    ]
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_HEIGHT
        length = 0.0 if top <= 0 else max(0.0, bar.value) / top * span
        colour = SERIES_COLOURS[bar.series % len(SERIES_COLOURS)]
        mid = y + ROW_HEIGHT / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{mid:.1f}" text-anchor="end" '
            f'dominant-baseline="middle" font-size="16" fill="{INK}">{escape(_short(bar.label))}'
            f'</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{mid - BAR_HEIGHT / 2:.1f}" width="{length:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{mid:.1f}" dominant-baseline="middle" '
            f'font-size="16" font-weight="bold" fill="{INK}">{escape(bar.value_text)}</text>'
        )
    parts.append("</svg>")
    # Every text above went through escape(); numbers and ids are ours.
    return Markup("".join(parts))  # noqa: S704
