"""The guard (#13): code outside topics/<name>/ and tests/ names no topic word.

A topic is its directory's data; code is given the directory. So no code may name a word that
belongs to a topic. What is checked:

- Topic words: every topic's vendor names and their aliases (vocab.yml, patterns/vendors.jsonl),
  and "surveillance", "CCTV" and "Chinese"; matched as whole words, ignoring case (an alias that
  is an ordinary lower-case English word, such as the vendor "Axis", is matched only as written).
- Action types: every topic's action type ids, as identifiers wherever they have an underscore
  (``ban_procurement``); an id that is an English word (``review``) only where code compares,
  tests membership in or assigns a quoted literal (``kind == "review"``, ``in ("review", ...)``,
  ``type="review"``), not in a list of English words.
- Governments: the names of every topic's jurisdiction governments ("UK Government"), as written,
  in Python, templates, CSS and JavaScript (where a rule could name one; a source's publisher in
  crawlers/sources.yml is a fact about the service).

What counts as code: Python, Jinja templates (*.html), CSS, JavaScript, the Makefile,
pyproject.toml, the CI script, and the YAML and JSON of site/, crawlers/ and bench/ (Datasette
metadata with canned SQL, source and schema definitions). Not code: Markdown and text documents,
JSON Lines data (nlp/patterns/), the topic directories (topics/<name>/, any depth) and tests/.
``topics/__init__.py`` is code: it is checked.
"""

import re
import subprocess
from pathlib import Path

import pytest
import srsly
import yaml

import topics
from tests.conftest import ROOT

ALWAYS = ["surveillance", "CCTV", "Chinese"]
CODE_SUFFIXES = {".py", ".html", ".css", ".js"}
CONFIG_SUFFIXES = {".yml", ".yaml", ".json"}
CONFIG_DIRS = ("site", "crawlers", "bench")
SKIP_DIRS = {".git", ".venv", "build", "data", "releases", "tests", "__pycache__", "node_modules", ".hypothesis"}


def _topic_dirs():
    return [topics.directory(name) for name in topics.names()]


def _words() -> tuple[set[str], set[str], set[str], set[str]]:
    """(case-insensitive words, as-written words, action type ids, government names) of every topic."""
    loose, exact, types, governments = set(ALWAYS), set(), set(), set()
    for directory in _topic_dirs():
        vocab = yaml.safe_load((directory / "vocab.yml").read_text(encoding="utf-8"))
        names = [v["name"] for v in vocab["vendors"].values()]
        path = directory / "patterns" / "vendors.jsonl"
        for row in (srsly.read_jsonl(path) if path.exists() else []):
            pattern = row["pattern"]
            names.append(pattern if isinstance(pattern, str) else " ".join(t.get("ORTH") or t.get("LOWER") or ""
                                                                          for t in pattern))
        for name in filter(None, (n.strip() for n in names)):
            (exact if name[:1].isupper() and name.lower() in ORDINARY_WORDS else loose).add(name)
        types.update(vocab["actions"])
        organisations = vocab["organisations"]
        governments.update(organisations[oid]["name"] for oid in (vocab.get("governments") or {}).values())
    return loose, exact, types, governments


# vendor names that are also ordinary words: matched only capitalised, as the vendor is written
ORDINARY_WORDS = {"axis", "meta"}


def _repository_files() -> list[Path]:
    """The files of the checkout git would commit (tracked or new, not ignored: no build output)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return sorted(Path(line) for line in listed if (ROOT / line).is_file())


def code_files():
    """Every file this guard counts as code (see the module docstring)."""
    topic_roots = {d.resolve() for d in _topic_dirs()}
    for rel in _repository_files():
        path = ROOT / rel
        if not path.is_file() or set(rel.parts[:-1]) & SKIP_DIRS or rel.parts[0] in SKIP_DIRS:
            continue
        if any(root in path.resolve().parents for root in topic_roots):
            continue
        if path.suffix in CODE_SUFFIXES or rel.as_posix() in ("Makefile", "pyproject.toml", ".ci/run") \
                or (path.suffix in CONFIG_SUFFIXES and rel.parts[0] in CONFIG_DIRS):
            yield rel


def _patterns():
    loose, exact, types, governments = _words()
    found = [re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(loose, key=len, reverse=True)))
                        + r")(?!\w)", re.I)]
    if exact:
        found.append(re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(exact))) + r")(?!\w)"))
    underscored = sorted(t for t in types if "_" in t)
    plain = sorted(t for t in types if "_" not in t)
    found.append(re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, underscored)) + r")(?!\w)"))
    literal = r"""["'](?:""" + "|".join(map(re.escape, plain)) + r""")["']"""
    found.append(re.compile(rf"(?:[!=]=\s*{literal}|{literal}\s*[!=]=|\bin\s*[(\[{{][^)\]}}\n]*{literal}"
                            rf"|\b(?:type|kind|family|role)\s*=\s*{literal})"))
    return found, re.compile("|".join(map(re.escape, sorted(governments, key=len, reverse=True))))


def test_the_guard_sees_the_files_it_should():
    """The guard reads the extractor, the database code, the site and the Makefile, and no topic data."""
    files = {p.as_posix() for p in code_files()}
    assert {"nlp/actions.py", "nlp/relevance.py", "db/schema.py", "site/static/site.css", "site/metadata.yml",
            "Makefile", "topics/__init__.py"} <= files
    assert not any(f.startswith(("tests/", "topics/cameras/")) for f in files)


def test_the_guard_knows_every_topics_words():
    """Vendors and aliases of each topic are guard words, and a planted one is caught."""
    loose, exact, types, governments = _words()
    assert {"Hikvision", "Chinese"} <= loose and "Axis" in exact
    assert {"ban_procurement", "review"} <= types and "UK Government" in governments
    words, government = _patterns()
    assert any(p.search('if vendor == "hikvision":') for p in words)
    assert any(p.search('kind = "review"') for p in words) and not any(p.search("a review of") for p in words)
    assert any(p.search('if family in ("ban", "review"):') for p in words)
    assert not any(p.search('NOUNS = {"ban", "review", "audit"}') for p in words)
    assert not any(p.search("a true time axis") for p in words) and government.search('"UK Government"')


@pytest.mark.parametrize("path", [p.as_posix() for p in code_files()])
def test_code_names_no_topic_word(path):
    words, government = _patterns()
    text = (ROOT / path).read_text(encoding="utf-8", errors="replace")
    hits = [m.group(0) for p in words for m in p.finditer(text)]
    if (ROOT / path).suffix in CODE_SUFFIXES:
        hits += [m.group(0) for m in government.finditer(text)]
    assert not hits, f"{path} names topic words {sorted(set(hits))}: move them to the topic's data (topics/<name>/)"
