"""`nlp extract` loses nothing and says so (#18 points 5, 6, 7): a text over spaCy's max length, a component
raising on one document, invalid UTF-8, deep nesting and wrong field types. Every input line ends extracted,
failed with a reason (in the output, in its place) or dropped with a reason (stderr), and the summary counts
them; --strict exits 1 on any loss; the output file appears whole or not at all; memory holds one batch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from spacy.language import Language

from nlp import cli
from nlp.extract import extract_records
from nlp.pipeline import build_nlp
from tests.conftest import ROOT, tally

pytestmark = pytest.mark.reliability

MARK = "BOOM-7f3a"


@Language.component("test_raises_on_mark")
def _raises_on_mark(doc):
    if MARK in doc.text:
        raise ValueError("this component cannot take this document")
    return doc


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.fixture(scope="module")
def fragile():
    """The topic's pipeline with one more component, which raises on documents holding MARK."""
    nlp = build_nlp()
    nlp.add_pipe("test_raises_on_mark", before="policy_actions")
    return nlp


def _doc(n: int, text: str = "") -> dict:
    return {"id": f"doc{n}", "title": f"Hikvision cameras {n}", "kind": "news",
            "text": text or f"The Home Office said it would stop installing Hikvision cameras on sensitive sites ({n})."}


def test_a_text_or_title_over_spacys_max_length_is_extracted(nlp, figures):
    """spaCy refuses a text over nlp.max_length (E088); before #18 a title that long killed the run."""
    long = "Hikvision cameras were banned. " + "The committee met and heard evidence. " * (nlp.max_length // 38 + 10)
    assert len(long) > nlp.max_length
    records = [_doc(1), {**_doc(2), "title": long}, {**_doc(3), "text": long}, _doc(4)]
    out = list(extract_records(nlp, records))
    assert [o["id"] for o in out] == ["doc1", "doc2", "doc3", "doc4"]
    assert not any("failed" in o for o in out), [o.get("failed") for o in out]
    assert "Hikvision" in out[1]["vendors"] and out[2]["mentions"]
    text = records[2]["text"]
    assert all(text[m["start"]:m["end"]] == m["text"] for m in out[2]["mentions"])
    tally(figures, "bad_input", "over_max_length_extracted", 2)


def test_a_component_raising_fails_that_document_alone_with_the_reason(nlp, fragile, figures):
    records = [_doc(n) for n in range(6)]
    records[2] = _doc(2, f"The Home Office banned Hikvision cameras. {MARK}")
    out = list(extract_records(fragile, records, batch_size=4))
    assert [o["id"] for o in out] == [r["id"] for r in records]
    assert out[2] == {"id": "doc2", "failed": out[2]["failed"]}  # failed, not "not relevant" without actions
    assert out[2]["failed"].startswith("test_raises_on_mark: ValueError: this component cannot take")
    clean = list(extract_records(nlp, records[:2] + records[3:]))
    assert out[:2] + out[3:] == clean  # its batch-mates come out as they would without it
    tally(figures, "extract_failures", "component_errors_failed_with_reason")


def test_extraction_streams_past_a_failing_document(fragile):
    """Before #18 a batch the error handler skipped kept every later document in memory until the input ended
    (143 MB -> 1,336 MB on 10,000 documents): each output now waits for at most about one batch of input."""
    consumed = []

    def source():
        for n in range(400):
            consumed.append(n)
            yield _doc(n, f"Hikvision {MARK}" if n == 3 else "")

    ahead = 0
    for index, result in enumerate(extract_records(fragile, source(), batch_size=16)):
        assert result["id"] == f"doc{index}"
        ahead = max(ahead, len(consumed) - index)
    assert ahead <= 16, f"read {ahead} documents ahead of the output"


def _run_cli(nlp, lines: list[bytes], *args):
    runner = CliRunner()
    original = cli._nlp
    cli._nlp = lambda topic, pipeline=None, rules_only=False: nlp
    try:
        return runner.invoke(cli.cli, ["extract", "-", "-o", "-", "--no-progress", *args], input=b"\n".join(lines))
    finally:
        cli._nlp = original


def test_strict_exits_1_when_a_document_failed(fragile):
    lines = [json.dumps(_doc(1)).encode(), json.dumps(_doc(2, f"Hikvision {MARK}")).encode()]
    relaxed, strict = _run_cli(fragile, lines), _run_cli(fragile, lines, "--strict")
    assert relaxed.exit_code == 0 and strict.exit_code == 1
    for result in (relaxed, strict):
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["doc1", "doc2"]
        assert "extracted 1, failed 1, dropped 0" in result.stderr
        assert "document doc2: failed: test_raises_on_mark: ValueError" in result.stderr


def test_every_bad_line_is_stored_failed_or_dropped_with_a_reason(nlp, figures):
    good = json.dumps(_doc(1)).encode()
    lines = [
        good,
        json.dumps(_doc(2)).encode().replace(b"cameras 2", b"cameras \xff\xfe 2"),  # invalid UTF-8: mended
        b"[" * 200_000 + b"]" * 200_000,  # deep nesting
        b'{"id": "doc4", "title": "x", "text": {"nested": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
        json.dumps({"id": "doc5", "title": ["not", "a", "string"], "text": "t"}).encode(),
        json.dumps({"id": "doc6", "title": "t", "text": "t", "people": "Alice"}).encode(),
        json.dumps({"id": "doc7", "title": "t", "text": "Hikvision \\ud800 banned"}).encode().replace(b"\\\\", b"\\"),
        json.dumps({"id": ["a list"], "title": "t"}).encode(),
        b'{"id": "doc9", "title": "cut short',
        json.dumps(_doc(10)).encode(),
    ]
    result = _run_cli(nlp, lines, "--strict")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    by_id = {o["id"]: o for o in out}
    assert [o["id"] for o in out] == ["doc1", "doc2", "doc5", "doc6", "doc7", "doc10"]
    assert "failed" not in by_id["doc2"] and "Hikvision" in by_id["doc2"]["vendors"]
    assert by_id["doc5"]["failed"] == "input: title is not a string"
    assert by_id["doc6"]["failed"] == "input: people is not a list"
    assert "failed" not in by_id["doc7"] and "failed" not in by_id["doc10"]
    assert "extract: 10 line(s) in: extracted 4, failed 2, dropped 4, mended 2" in result.stderr
    for reason in ("nested too deeply", "not JSON", "missing id"):
        assert f"dropped: {reason}" in result.stderr
    assert result.exit_code == 1  # --strict: something was lost
    tally(figures, "bad_input", "extract_lines", len(lines))
    tally(figures, "bad_input", "extract_lines_lost_unsaid", len(lines) - len(out) - result.stderr.count(": dropped: "))


def test_a_killed_extract_publishes_no_partial_output(tmp_path, figures):
    """The output appears only when the run completes: a partial extracted.jsonl would look up to date to make
    and give the build documents without their extractions (#18 point 5)."""
    source, output = tmp_path / "documents.jsonl", tmp_path / "extracted.jsonl"
    source.write_text("".join(json.dumps(_doc(n)) + "\n" for n in range(20_000)))
    process = subprocess.Popen([sys.executable, "-m", "nlp", "extract", str(source), "-o", str(output),
                                "--batch-size", "8"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        written = lambda: [p for p in tmp_path.iterdir() if p != source and p.stat().st_size > 0]  # noqa: E731
        deadline = time.monotonic() + 300
        while not written() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it wrote anything: make the input longer"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
    assert not output.exists()
    tally(figures, "bad_input", "killed_extract_partial_outputs", int(output.exists()))


RSS_SCRIPT = """
import json, sys
from spacy.language import Language
from nlp.extract import extract_records
from nlp.pipeline import build_nlp

@Language.component("test_rss_raises")
def raises(doc):
    if "BOOM-7f3a" in doc.text:
        raise ValueError("boom")
    return doc

count, path = int(sys.argv[1]), sys.argv[2]
docs = [json.loads(line) for line in open(path, encoding="utf-8")]
nlp = build_nlp()
nlp.add_pipe("test_rss_raises", before="policy_actions")

def source():
    for i in range(count):
        doc = dict(docs[i % len(docs)], id=f"{docs[i % len(docs)]['id']}#{i}")
        doc["text"] = (doc.get("text") or "")[:3000] + (" BOOM-7f3a" if i == 4 else "")
        yield doc

out = failed = 0
for record in extract_records(nlp, source()):
    out += 1
    failed += "failed" in record
# VmHWM, the peak of this program's memory: ru_maxrss would count the parent's at the fork (pytest's)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"out": out, "failed": failed, "peak_rss_mb": round(peak / 1024, 1)}))
"""


@pytest.mark.serial
def test_memory_stays_bounded_when_a_document_fails(built, figures):
    """Peak memory of 3,000 documents, one of them breaking a component, against 300: before #18 every
    document after the failing one was held until the input ended (143 MB -> 1,336 MB on 10,000)."""
    def peak(count: int) -> dict:
        result = subprocess.run([sys.executable, "-c", RSS_SCRIPT, str(count), str(built["documents"])], cwd=ROOT,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout)

    small, large = peak(300), peak(3000)
    assert small["out"] == 300 and large["out"] == 3000 and small["failed"] == large["failed"] == 1
    figures["extract_memory"] = {"documents": 3000, "failing_documents": 1,
                                 "peak_rss_mb_300_docs": small["peak_rss_mb"],
                                 "peak_rss_mb_3000_docs": large["peak_rss_mb"]}
    assert large["peak_rss_mb"] < small["peak_rss_mb"] + 30
