"""bench.load works end to end on the built database (a few seconds, few clients): every page of
its mix answers 200 and the report block is written. Its timings are not asserted: --cover runs past the
2 seconds until every page was asked (a busy machine may answer only a few requests in 2 seconds)."""

import json

import pytest

from bench import load
from tests.conftest import free_port

pytestmark = [pytest.mark.reliability, pytest.mark.serial, pytest.mark.timing]


def test_a_short_load_run_reports_every_page_answering(built, tmp_path):
    report = tmp_path / "RELIABILITY.md"
    report.write_text("# R\n\n<!-- load:begin -->\nold\n<!-- load:end -->\n\nafter\n")
    code = load.main(["--db", str(built["db"]), "--seconds", "2", "--clients", "3", "--port", str(free_port()),
                      "--cover", "--out", str(tmp_path / "load.json"), "--report", str(report)])
    figures = json.loads((tmp_path / "load.json").read_text())
    assert code == 0 and figures["non_200"] == {} and figures["requests"] >= figures["paths"]
    text = report.read_text()
    assert "old" not in text and "3 clients" in text and text.endswith("after\n")
