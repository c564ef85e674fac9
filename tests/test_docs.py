"""Docs are tested like code: the README, sources.yml and the spiders agree; every command has help."""

import re
import subprocess
import sys

import pytest

from crawlers import config
from tests.conftest import ROOT, SOURCES

README = (ROOT / "README.md").read_text()


def test_every_spider_is_in_the_readme_and_sources_yml():
    spiders = sorted(p.stem for p in (ROOT / "crawlers" / "spiders").glob("*.py")
                     if p.stem not in ("__init__", "base", "parliament"))
    assert spiders == sorted(SOURCES) == sorted(config.services())
    for name in spiders:
        assert f"`{name}`" in README, name
        assert (ROOT / "tests" / "crawlers" / f"test_{name}.py").exists(), name


def test_quick_start_is_the_two_commands():
    block = README.split("## Quick start", 1)[1].split("```")[1]
    assert block.strip().splitlines() == ["make demo", "make test"]


def test_every_make_target_in_the_readme_exists_with_help():
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"`make ([a-z-]+)", README)):
        assert re.search(rf"^{target}:.*## ", makefile, re.M), target


@pytest.mark.parametrize("module, command", [
    ("crawlers", "crawl"), ("crawlers", "list"), ("nlp", "extract"), ("nlp", "eval"), ("nlp", "events"),
    ("nlp", "eval-events"), ("nlp", "train-types"),
    ("db", "build"), ("db", "search"), ("db", "serve"), ("db", "check"), ("db", "stage"), ("db", "digest"),
])
def test_every_command_has_help(module, command):
    result = subprocess.run([sys.executable, "-m", module, command, "--help"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0 and "Usage:" in result.stdout and len(result.stdout) > 120
