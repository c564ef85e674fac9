"""make bench reports the events stage of `python -m db build` as a ratio and a growth exponent (#15)."""

from bench.__main__ import event_figures, exponent


def test_event_figures_are_a_ratio_to_the_builds_storage_and_a_growth_exponent():
    builds = {10_000: {"ingest": 1.0, "extractions": 3.0, "events": 2.0},
              100_000: {"ingest": 10.0, "extractions": 30.0, "events": 40.0}}
    figures, targets = event_figures([10_000, 100_000], builds)
    assert figures == {"events_vs_ingest": 1.0, "events_seconds_exponent": exponent([10_000, 100_000], [2.0, 40.0])}
    assert figures["events_seconds_exponent"] > 1.3  # quadratic-ish growth shows, and misses its target
    assert targets["events_seconds_exponent"][0] == "<=" and figures["events_seconds_exponent"] > \
        targets["events_seconds_exponent"][1]


def test_a_build_without_an_events_stage_gives_no_event_figures():
    assert event_figures([10_000], {10_000: {"ingest": 1.0, "extractions": 1.0}}) == ({}, {})
