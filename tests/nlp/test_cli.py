"""python -m nlp extract: the contract, stdin/stdout, bad lines reported and dropped."""

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_contract_with_a_bad_line(tmp_path):
    lines = [
        json.dumps({"id": "a", "title": "Ban", "text": "The FCC banned the sale of new Hikvision cameras.",
                    "published": "2022-11-25", "jurisdiction": "US"}),
        "{not json",
        json.dumps({"title": "no id"}),
        json.dumps({"id": "b", "title": "Nothing", "text": "Weather today."}),
    ]
    result = subprocess.run([sys.executable, "-m", "nlp", "extract", "-", "-o", "-"], input="\n".join(lines),
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert "line 2: dropped: not JSON" in result.stderr and "line 3: dropped: missing id" in result.stderr
    a = out[0]
    assert set(a) >= {"id", "relevant", "relevance_reasons", "vendors", "organisations", "people", "actions"}
    action = a["actions"][0]
    assert set(action) >= {"type", "actor", "vendors", "date", "evidence", "start", "end", "confidence"}
    assert (action["type"], action["actor"], action["vendors"]) == ("ban_procurement", "Federal Communications Commission", ["Hikvision"])


def test_help():
    result = subprocess.run([sys.executable, "-m", "nlp", "extract", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert "JSON Lines" in result.stdout
