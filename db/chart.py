"""Actions per month by type as an inline SVG bar chart: no JavaScript, no CDN.

The SVG carries a <title> and <desc>, and every bar a <title> with its
numbers, so screen readers and tooltips get the data; the page also prints the
same figures as a table.
"""

from __future__ import annotations

from markupsafe import Markup, escape

COLOURS = {
    "ban_procurement": "#b2182b", "ban_installation": "#d6604d", "disconnect": "#f4a582", "remove": "#92c5de",
    "sanction": "#4393c3", "review": "#2166ac", "call_for_ban": "#8c510a", "legislation": "#5ab4ac",
    "guidance": "#01665e", "denial": "#762a83", "no_comment": "#999999",
}


def monthly_svg(months: list[dict], labels: dict[str, str], width: int = 720, height: int = 180) -> Markup:
    if not months:
        return Markup('<p class="chart-empty">No dated actions to chart.</p>')
    peak = max(sum(m["counts"].values()) for m in months) or 1
    bar = max(4.0, (width - 40) / len(months))
    plot = height - 30
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
             '<title id="chart-title">Actions per month by type</title>',
             f'<desc id="chart-desc">{len(months)} months from {escape(months[0]["month"])} to '
             f'{escape(months[-1]["month"])}; the busiest month has {peak} actions.</desc>']
    for i, month in enumerate(months):
        x = 30 + i * bar
        y = plot
        for kind, n in sorted(month["counts"].items()):
            h = plot * n / peak
            y -= h
            label = f'{month["month"]}: {n} × {labels.get(kind, kind)}'
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, bar - 2):.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS.get(kind, "#666")}" data-type="{escape(kind)}"><title>{escape(label)}</title></rect>')
    parts.append(f'<line x1="28" y1="{plot}" x2="{width}" y2="{plot}" stroke="#333"/>')
    parts.append(f'<text x="30" y="{height - 8}" font-size="11">{escape(months[0]["month"])}</text>')
    parts.append(f'<text x="{width - 4}" y="{height - 8}" font-size="11" text-anchor="end">{escape(months[-1]["month"])}</text>')
    parts.append(f'<text x="2" y="12" font-size="11">{peak}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(labels: dict[str, str]) -> list[dict]:
    return [{"type": k, "label": labels.get(k, k), "colour": c} for k, c in COLOURS.items()]
