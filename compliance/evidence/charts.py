"""Inline SVG charts: horizontal stacked bars with counts written on them, so they print and need no
script or remote asset. Colours are paired with labels in a legend and the numbers are also in tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

COLOURS: Mapping[str, str] = {
    "fail": "#c62828",
    "unknown": "#e65100",
    "waived": "#6a1b9a",
    "pass": "#2e7d32",
    "manual": "#1565c0",
    "no evidence": "#757575",
}

LABEL_WIDTH = 70
BAR_WIDTH = 480
ROW_HEIGHT = 22
BAR_HEIGHT = 16


def stacked_bars(rows: Mapping[str, Mapping[str, int]], statuses: Sequence[str]) -> str:
    """One bar per row (label -> status -> count), segments in `statuses` order, widths to the largest total."""
    if not rows:
        return '<p class="muted">Nothing to chart.</p>'
    largest = max(sum(counts.values()) for counts in rows.values()) or 1
    height = ROW_HEIGHT * len(rows) + 26
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LABEL_WIDTH + BAR_WIDTH + 40}" '
        f'height="{height}" viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 40} {height}" role="img" '
        'font-family="Evidence Sans, DejaVu Sans Condensed, DejaVu Sans, Arial, sans-serif" font-size="10">'
    ]
    for index, (label, counts) in enumerate(rows.items()):
        y = index * ROW_HEIGHT + 2
        parts.append(f'<text x="0" y="{y + 12}">{escape(label)}</text>')
        x = float(LABEL_WIDTH)
        for status in statuses:
            count = counts.get(status, 0)
            if not count:
                continue
            width = BAR_WIDTH * count / largest
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{COLOURS.get(status, "#999")}"><title>{escape(status)}: {count}</title></rect>'
            )
            if width >= 14:
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 12}" fill="#fff" text-anchor="middle">{count}</text>'
                )
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 12}">{sum(counts.values())}</text>')
    parts.append(_legend(statuses, height - 12))
    parts.append("</svg>")
    return "".join(parts)


def _legend(statuses: Sequence[str], y: int) -> str:
    items = []
    x = LABEL_WIDTH
    for status in statuses:
        items.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS.get(status, "#999")}"/>'
            f'<text x="{x + 13}" y="{y}">{escape(status)}</text>'
        )
        x += 16 + 7 * len(status) + 12
    return "".join(items)
