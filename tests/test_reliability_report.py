"""RELIABILITY.md gets figures only from a complete, green run, and only through `make reliability-docs` (#18)."""

import json

from tests.reliability_report import BEGIN, END, ROWS, main


def _run(tmp_path, **changes):
    run = {"finished": "2026-01-01T00:00:00+00:00", "exit_status": 0, "selection": "all", "tests": 400,
           "failed": 0, "figures": {key: {"measured": 1} for _, key in ROWS}} | changes
    path = tmp_path / "reliability.json"
    path.write_text(json.dumps(run))
    return path


def _doc(tmp_path):
    doc = tmp_path / "RELIABILITY.md"
    doc.write_text(f"# R\n\nprose\n\n{BEGIN}\nold figures\n{END}\n\nafter\n")
    return doc


def test_a_green_complete_run_replaces_only_the_marked_block(tmp_path):
    doc = _doc(tmp_path)
    assert main(["--figures", str(_run(tmp_path)), "--busy", str(tmp_path / "none.json"), "--doc", str(doc)]) == 0
    text = doc.read_text()
    assert text.startswith("# R\n\nprose\n\n") and text.endswith("\n\nafter\n") and "old figures" not in text
    assert text.count("| ") >= len(ROWS) and "400 tests, all passed" in text


def test_a_failed_partial_or_incomplete_run_is_refused(tmp_path, capsys):
    doc = _doc(tmp_path)
    before = doc.read_text()
    for changes in ({"exit_status": 1}, {"selection": "reliability"},
                    {"figures": {key: {"x": 1} for _, key in ROWS[1:]}}):
        assert main(["--figures", str(_run(tmp_path, **changes)), "--doc", str(doc)]) == 1
    assert doc.read_text() == before
    assert ROWS[0][1] in capsys.readouterr().err  # names the area with no figures
