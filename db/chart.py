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


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_BAR = 24.0  # a bar's width at most: a chart of a few months is a few bars, not a solid block (#17)


def svg(months: list[dict], types: dict, noun: str = "actions", width: int = 720, height: int = 180) -> Markup:
    """``months``: [{month, counts: {type: n}}] (db.query.monthly); ``types``: type -> {label, colour}.

    The axis has a tick per year (its label at each January, every year while they fit); a span of two years
    or less has a tick per month, labelled (every month while the labels fit, else every quarter) with the
    year under January and under the first month (#17)."""
    if not months:
        return Markup(f'<p class="chart-empty">No dated {escape(noun)} to chart.</p>')
    peak = max([1, *(sum(m["counts"].values()) for m in months)])
    bar = max(4.0, (width - 40) / len(months))
    plot = height - 30
    wide = min(max(1.0, bar - 2), MAX_BAR)
    thickness = f"{wide:.1f}"
    shift = (max(1.0, bar - 2) - wide) / 2  # a narrowed bar sits in the middle of its month
    first, last = escape(months[0]["month"]), escape(months[-1]["month"])
    out = [f'<div class="chart-scroll" tabindex="0" role="group" aria-label="{escape(noun.capitalize())} per month, '
           f'{first} to {last} (scrolls sideways on a small screen)">'
           f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" aria-labelledby="chart-title '
           f'chart-desc" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(noun.capitalize())} per '
           f'month by type</title><desc id="chart-desc">{len(months)} months from {first} to {last}; the busiest '
           f'month has {peak} {escape(noun)}.</desc>']
    looks = {}
    for index, m in enumerate(months):
        x, top = f"{30 + index * bar + shift:.1f}", plot
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
    out.append(f'<line x1="28" y1="{plot}" x2="{width}" y2="{plot}" stroke="#333"/>')
    out.append(_axis(months, bar, plot))
    out.append(f'<text x="2" y="12" font-size="11">{peak}</text></svg></div>')
    return Markup("".join(out))


def _axis(months: list[dict], bar: float, plot: int) -> str:
    """Ticks and labels under the bars: per month for two years or less, else per year."""
    out = []
    by_month = len(months) <= 24
    step = 1 if bar >= 26 else 3  # a month's label needs about 26 units
    year_step = next(s for s in (1, 2, 5, 10, 20, 50) if s * 12 * bar >= 34)  # a year's label needs about 34
    for index, m in enumerate(months):
        year, month = int(m["month"][:4]), int(m["month"][5:7])
        x = 30 + index * bar
        january = month == 1
        if by_month:
            out.append(f'<line class="tick" x1="{x:.1f}" y1="{plot}" x2="{x:.1f}" y2="{plot + (6 if january else 3)}" '
                       'stroke="#333"/>')
            if (month - 1) % step == 0 or index == 0:
                out.append(f'<text x="{x + bar / 2:.1f}" y="{plot + 14}" font-size="11" text-anchor="middle">'
                           f'{MONTHS[month - 1]}</text>')
            if january or index == 0:
                out.append(f'<text class="year" x="{x + bar / 2:.1f}" y="{plot + 26}" font-size="11" '
                           f'text-anchor="middle">{year}</text>')
        elif january or index == 0:
            out.append(f'<line class="tick" x1="{x:.1f}" y1="{plot}" x2="{x:.1f}" y2="{plot + 5}" stroke="#333"/>')
            if january and year % year_step == 0:
                out.append(f'<text class="year" x="{x:.1f}" y="{plot + 18}" font-size="11" text-anchor="middle">'
                           f'{year}</text>')
    return "".join(out)


def table_rows(months: list[dict], labels: dict) -> Markup:
    """One <tr> per month: the month, then each type's label and count ("Ban 3; Review 1")."""
    out, named = [], {}
    for m in months or ():
        for k in m["counts"]:
            if k not in named:
                named[k] = escape(labels.get(k, k))
        cells = "; ".join(f"{named[k]} {n}" for k, n in sorted(m["counts"].items(), key=lambda item: item[0].lower()))
        out.append(f"<tr><td>{escape(m['month'])}</td><td>{cells}</td></tr>")
    return Markup("".join(out))
