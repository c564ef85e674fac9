"""The timeline's chart as markup: counts per month by type as an inline SVG bar chart, and the same figures
as table rows (no JavaScript, no CDN).

The SVG carries a <title> and <desc>, and every bar a <title> with its numbers, so screen readers and
tooltips get the data. Colours are the action types' (the topic's vocabulary). Written in Python rather
than as a Jinja macro because a chart of twenty years has over a thousand bars: in Datasette's async
template environment the macro took about half of a timeline page's time (issue 19's profile); this is
the same markup, about twenty times faster. Templates call ``svg`` and ``table_rows`` (registered as
template globals by site/plugins/pages.py).
"""

from __future__ import annotations

from markupsafe import Markup, escape

DEFAULT_COLOUR = "#666666"


def svg(months: list[dict], types: dict, noun: str = "actions", width: int = 720, height: int = 180) -> Markup:
    """``months``: [{month, counts: {type: n}}] (db.query.monthly); ``types``: type -> {label, colour}."""
    if not months:
        return Markup(f'<p class="chart-empty">No dated {escape(noun)} to chart.</p>')
    peak = max([1, *(sum(m["counts"].values()) for m in months)])
    bar = max(4.0, (width - 40) / len(months))
    plot = height - 30
    thickness = f"{max(1.0, bar - 2):.1f}"
    first, last = escape(months[0]["month"]), escape(months[-1]["month"])
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" aria-labelledby="chart-title '
           f'chart-desc" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(noun.capitalize())} per '
           f'month by type</title><desc id="chart-desc">{len(months)} months from {first} to {last}; the busiest '
           f'month has {peak} {escape(noun)}.</desc>']
    looks = {}
    for index, m in enumerate(months):
        x, top = f"{30 + index * bar:.1f}", plot
        month = escape(m["month"])
        for kind, n in sorted(m["counts"].items(), key=lambda item: item[0].lower()):
            if kind not in looks:
                spec = types.get(kind)
                looks[kind] = (escape(spec["colour"] if spec else DEFAULT_COLOUR), escape(kind),
                               escape(spec["label"] if spec else kind))
            colour, key, label = looks[kind]
            h = plot * n / peak
            top -= h
            out.append(f'<rect x="{x}" y="{top:.1f}" width="{thickness}" height="{h:.1f}" fill="{colour}" '
                       f'data-type="{key}"><title>{month}: {n} × {label}</title></rect>')
    out.append(f'<line x1="28" y1="{plot}" x2="{width}" y2="{plot}" stroke="#333"/><text x="30" y="{height - 8}" '
               f'font-size="11">{first}</text><text x="{width - 4}" y="{height - 8}" font-size="11" '
               f'text-anchor="end">{last}</text><text x="2" y="12" font-size="11">{peak}</text></svg>')
    return Markup("".join(out))


def table_rows(months: list[dict], labels: dict) -> Markup:
    """One <tr> per month: the month, then each type's label and count ("Ban 3; Review 1")."""
    out = []
    for m in months or ():
        cells = "; ".join(f"{escape(labels.get(k, k))} {n}"
                          for k, n in sorted(m["counts"].items(), key=lambda item: item[0].lower()))
        out.append(f"<tr><td>{escape(m['month'])}</td><td>{cells}</td></tr>")
    return Markup("".join(out))
