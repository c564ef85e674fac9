"""Scrapy's own commands from the repository root, on the project's settings modules (#16 point 10):
`scrapy list`, `scrapy crawl SOURCE`, `scrapy check` (contracts on crawlers/formats/), and the live
settings chosen by SCRAPY_PROJECT=live."""

import os
import subprocess
import sys

from tests.conftest import ROOT, SOURCES, jsonl


def scrapy(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    environ.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=kwargs.pop("timeout", 300), **kwargs)


def test_scrapy_list_prints_the_six_spiders():
    """Regression for #16 point 10: without a scrapy.cfg, `scrapy list` knew no project."""
    result = scrapy("list")
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(result.stdout.split()) == sorted(SOURCES)


def test_scrapy_crawl_a_source_on_the_recordings(tmp_path):
    """`scrapy crawl uk_hansard` replays the topic's recordings through the same pipelines and run record."""
    out = tmp_path / "crawl"
    result = scrapy("crawl", "uk_hansard", "-s", f"CRAWL_OUTPUT_DIR={out}", "-s", f"RAW_ARCHIVE_DIR={tmp_path / 'raw'}",
                    "-s", f"CRAWL_STATE_FILE={tmp_path / 'state.json'}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(jsonl(out / "uk_hansard.jsonl")) == 7 and (out / "uk_hansard.run.json").exists()


def test_scrapy_check_runs_the_contracts_on_real_bodies_and_records_no_run(tmp_path):
    """Each checked callback reads a real body of its service; a check is not a crawl (no run, no state)."""
    out = tmp_path / "crawl"
    result = scrapy("check", "-s", f"CRAWL_OUTPUT_DIR={out}", "-s", f"RAW_ARCHIVE_DIR={tmp_path / 'raw'}",
                    "-s", f"CRAWL_STATE_FILE={tmp_path / 'state.json'}")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = result.stdout + result.stderr
    assert "Ran 12 contracts" in report and "OK" in report
    assert not out.exists() and not (tmp_path / "state.json").exists()


def test_the_live_settings_are_one_environment_variable_away():
    """SCRAPY_PROJECT=live picks crawlers.settings.live (incremental, HTTP cache); the default is the replay."""
    live = scrapy("settings", "--get", "HTTPCACHE_ENABLED", env={"SCRAPY_PROJECT": "live"})
    replay = scrapy("settings", "--get", "HTTPCACHE_ENABLED")
    assert live.stdout.strip() == "True" and replay.stdout.strip() == "False"
