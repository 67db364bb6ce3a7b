"""Small charts as server-rendered SVG (no JavaScript; prints well; light on old machines)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from motcua.core.formatting import number_vi

# The plot's margins: the y-axis labels on the left, the x labels below, the legend on top.
LEFT, BOTTOM, PAD, LEGEND = 44, 34, 8, 22
PLOT_TOP = PAD + LEGEND

COLOURS = {
    "online": "#0b57d0",
    "online_assisted": "#7aa7f0",
    "direct": "#e37400",
    "post": "#8430ce",
    "early": "#137333",
    "on_time": "#81c995",
    "late": "#c5221f",
    "within": "#0b57d0",
    "overdue": "#c5221f",
    "created": "#7aa7f0",
    "sent": "#137333",
}


def _frame(title: str, width: int, height: int, top: int) -> tuple[list[str], float, float]:
    """The SVG's opening and its horizontal guides (0, half, top); the plot's left and
    height."""
    left, pad = LEFT, PAD
    plot_h = height - BOTTOM - PLOT_TOP
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for frac in (0, 0.5, 1):
        y = PLOT_TOP + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{left}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dadce0"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{number_vi(round(top * frac))}</text>"
        )
    return parts, left, plot_h


def _bar(x: float, y: float, w: float, h: float, key: str, tip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
        f'fill="{COLOURS.get(key, "#5f6368")}"><title>{escape(tip)}</title></rect>'
    )


def _label(x: float, height: int, label: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{height - BOTTOM + 16}" text-anchor="middle" '
        f'font-size="11">{escape(label)}</text>'
    )


def _legend(parts: list[str], left: float, legend: dict[str, str]) -> SafeString:
    x = left
    for key, name in legend.items():
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS.get(key, "#5f6368")}"/>'
            f'<text x="{x + 16}" y="14" font-size="12">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stacked_bars(
    title: str,
    bars: list[tuple[str, dict[str, int]]],
    legend: dict[str, str],
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Vertical stacked bars, one per label; ``legend`` maps series keys to Vietnamese names."""
    top = max([sum(v.values()) for _, v in bars] + [1])
    parts, left, plot_h = _frame(title, width, height, top)
    step = (width - left - PAD) / max(len(bars), 1)
    bar_w = max(step * 0.65, 4)
    for i, (label, values) in enumerate(bars):
        x = left + i * step + (step - bar_w) / 2
        y = PLOT_TOP + plot_h
        for key in legend:
            value = values.get(key, 0)
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            parts.append(_bar(x, y, bar_w, h, key, f"{label} — {legend[key]}: {number_vi(value)}"))
        parts.append(_label(x + bar_w / 2, height, label))
    return _legend(parts, left, legend)


def grouped_bars(
    title: str,
    bars: list[tuple[str, dict[str, int]]],
    legend: dict[str, str],
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Vertical bars side by side, one group per label, one bar per series of ``legend``."""
    top = max([max(v.values(), default=0) for _, v in bars] + [1])
    parts, left, plot_h = _frame(title, width, height, top)
    step = (width - left - PAD) / max(len(bars), 1)
    bar_w = max(step * 0.75 / max(len(legend), 1), 2)
    base = PLOT_TOP + plot_h
    for i, (label, values) in enumerate(bars):
        x = left + i * step + (step - bar_w * len(legend)) / 2
        for j, key in enumerate(legend):
            value = values.get(key, 0)
            h = plot_h * value / top
            tip = f"{label} — {legend[key]}: {number_vi(value)}"
            parts.append(_bar(x + j * bar_w, base - h, bar_w, h, key, tip))
        parts.append(_label(x + bar_w * len(legend) / 2, height, label))
    return _legend(parts, left, legend)
