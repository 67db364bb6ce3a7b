"""Small charts as server-rendered SVG (no JavaScript; prints well; light on old machines)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from motcua.core.formatting import number_vi

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
}


def stacked_bars(
    title: str,
    bars: list[tuple[str, dict[str, int]]],
    legend: dict[str, str],
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Vertical stacked bars, one per label; ``legend`` maps series keys to Vietnamese names."""
    top = max([sum(v.values()) for _, v in bars] + [1])
    left, bottom, pad = 44, 34, 8
    plot_w, plot_h = width - left - pad, height - bottom - pad - 22
    step = plot_w / max(len(bars), 1)
    bar_w = max(step * 0.65, 4)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for frac in (0, 0.5, 1):
        y = pad + 22 + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{left}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dadce0"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{number_vi(round(top * frac))}</text>"
        )
    for i, (label, values) in enumerate(bars):
        x = left + i * step + (step - bar_w) / 2
        y = pad + 22 + plot_h
        for key in legend:
            value = values.get(key, 0)
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS.get(key, "#5f6368")}"><title>{escape(label)} — '
                f"{escape(legend[key])}: {number_vi(value)}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    x = left
    for key, name in legend.items():
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS.get(key, "#5f6368")}"/>'
            f'<text x="{x + 16}" y="14" font-size="12">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))
