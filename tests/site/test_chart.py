"""The chart's markup from db/chart.py is the markup the Jinja macro it replaced wrote (issue 19: the macro
was half of a timeline page's time), bar for bar, on real counts and on awkward ones."""

import re

import jinja2
import pytest

from db import chart, query

# the macro as it was (site/templates/tracker/_chart.html and the table loop of _events.html before issue 19)
REFERENCE = """{% macro monthly_svg(months, types, width=720, height=180) %}
{% if not months %}<p class="chart-empty">No dated actions to chart.</p>{% else %}
{% set ns = namespace(peak=1) %}
{% for m in months %}{% set total = m.counts.values()|sum %}{% if total > ns.peak %}{% set ns.peak = total %}{% endif %}{% endfor %}
{% set bar = [4.0, (width - 40) / months|length]|max %}
{% set plot = height - 30 %}
<svg class="chart" role="img" viewBox="0 0 {{ width }} {{ height }}" width="100%" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">Actions per month by type</title><desc id="chart-desc">{{ months|length }} months from {{ months[0].month }} to {{ months[-1].month }}; the busiest month has {{ ns.peak }} actions.</desc>
{%- for m in months %}{% set x = 30 + loop.index0 * bar %}{% set y = namespace(top=plot) %}
{%- for kind, n in m.counts|dictsort %}{% set h = plot * n / ns.peak %}{% set y.top = y.top - h %}<rect x="{{ '%.1f'|format(x) }}" y="{{ '%.1f'|format(y.top) }}" width="{{ '%.1f'|format([1.0, bar - 2]|max) }}" height="{{ '%.1f'|format(h) }}" fill="{{ types[kind].colour if kind in types else '#666666' }}" data-type="{{ kind }}"><title>{{ m.month }}: {{ n }} × {{ types[kind].label if kind in types else kind }}</title></rect>{% endfor %}
{%- endfor %}<line x1="28" y1="{{ plot }}" x2="{{ width }}" y2="{{ plot }}" stroke="#333"/><text x="30" y="{{ height - 8 }}" font-size="11">{{ months[0].month }}</text><text x="{{ width - 4 }}" y="{{ height - 8 }}" font-size="11" text-anchor="end">{{ months[-1].month }}</text><text x="2" y="12" font-size="11">{{ ns.peak }}</text></svg>
{% endif %}
{% endmacro %}
{% macro table(months, labels) %}{% for m in months %}<tr><td>{{ m.month }}</td><td>{% for k, n in m.counts|dictsort %}{{ labels.get(k, k) }} {{ n }}{% if not loop.last %}; {% endif %}{% endfor %}</td></tr>{% endfor %}{% endmacro %}
"""
TYPES = {"ban_procurement": {"label": "Procurement ban", "colour": "#b91c1c"},
         "review": {"label": "Review <& \"quoted\">", "colour": "#1d4ed8"}}


@pytest.fixture(scope="module")
def reference():
    return jinja2.Environment(autoescape=True).from_string(REFERENCE).module


def cases():
    counts = {("2024-01", "ban_procurement"): 3, ("2024-01", "review"): 1, ("2024-03", "Zed"): 2,
              ("2023-11", "unknown<type>"): 5}
    many = {(f"{2005 + i // 12:04d}-{i % 12 + 1:02d}", kind): (i * 7) % 13 + 1
            for i in range(300) for kind in ("ban_procurement", "review") if (i + len(kind)) % 3}
    return [[], query.monthly(counts), query.monthly(many), query.monthly({("2020-02", "review"): 1})]


BAR = re.compile(r'<rect x="[^"]*" (y="[^"]*") width="[^"]*" (height="[^"]*" fill="[^"]*" data-type="[^"]*">'
                 r'<title>[^<]*</title>)</rect>')


@pytest.mark.parametrize("months", cases(), ids=["none", "few", "twenty-years", "one"])
def test_the_chart_is_the_macro_s_markup(reference, months):
    """Bar for bar the macro's (height, colour, type, title), the title and description the same; only where
    the bars sit and the axis changed since (#17: narrow bars for a few months, ticks per year and month)."""
    ours, theirs = str(chart.svg(months, TYPES)).strip(), str(reference.monthly_svg(months, TYPES)).strip()
    assert BAR.findall(ours) == BAR.findall(theirs)
    assert re.findall(r"<title id.*?</desc>", ours) == re.findall(r"<title id.*?</desc>", theirs)
    if not months:
        assert ours == theirs
    labels = {k: t["label"] for k, t in TYPES.items()}
    assert str(chart.table_rows(months, labels)) == str(reference.table(months, labels))


def _years(markup) -> list[str]:
    return re.findall(r'<text class="year"[^>]*>(\d{4})</text>', str(markup))


def test_a_long_chart_has_a_tick_per_year_and_labels_that_fit():
    months = query.monthly({("2015-03", "review"): 1, ("2024-11", "review"): 2})
    markup = str(chart.svg(months, TYPES))
    assert len(re.findall(r'<line class="tick"', markup)) == 9 + 1  # every January 2016-2024, and the first month
    assert _years(markup) == [str(y) for y in range(2016, 2025)]
    twenty = str(chart.svg(cases()[2], TYPES))
    labels = [int(y) for y in _years(twenty)]
    assert labels and all(b - a == labels[1] - labels[0] for a, b in zip(labels, labels[1:]))
    ticks = [float(x) for x in re.findall(r'<line class="tick" x1="([0-9.]+)"', twenty)]
    assert len(ticks) >= 20  # a tick each year even where the labels skip


def test_a_short_chart_has_a_month_scale_and_a_one_month_chart_is_one_narrow_bar():
    one = str(chart.svg(query.monthly({("2020-02", "review"): 3}), TYPES))
    widths = [float(w) for w in re.findall(r'<rect x="[^"]*" y="[^"]*" width="([0-9.]+)"', one)]
    assert widths == [chart.MAX_BAR] and chart.MAX_BAR < 720 / 10  # not a solid block
    assert ">Feb</text>" in one and _years(one) == ["2020"]
    year = str(chart.svg(query.monthly({("2022-11", "review"): 1, ("2023-10", "review"): 1}), TYPES))
    assert re.findall(r'font-size="11" text-anchor="middle">([A-Z][a-z]{2})</text>', year) == [
        "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"]
    assert _years(year) == ["2022", "2023"]
