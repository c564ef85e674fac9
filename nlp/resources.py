"""The data nlp/ runs on: the chosen topic's vocab.yml and patterns/*.jsonl (see topics/)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import srsly
import yaml

import topics

CJK = re.compile(r"[\u3400-\u9fff]")


def vocab() -> dict:
    return _vocab(topics.directory())


@lru_cache(maxsize=4)
def _vocab(directory: Path) -> dict:
    return yaml.safe_load((directory / "vocab.yml").read_text(encoding="utf-8"))


def patterns(name: str) -> tuple:
    return _patterns(topics.directory(), name)


@lru_cache(maxsize=None)
def _patterns(directory: Path, name: str) -> tuple:
    return tuple(srsly.read_jsonl(directory / "patterns" / f"{name}.jsonl"))


def action_types() -> list[str]:
    return list(vocab()["actions"])


def vendor(vendor_id: str) -> dict:
    return vocab()["vendors"][vendor_id]


def organisation_name(org_id: str) -> str:
    return vocab()["organisations"][org_id]["name"]


@lru_cache(maxsize=1)
def alias_index() -> dict[str, tuple[str, str]]:
    """Lower-cased alias -> (label, canonical name) for organisations and vendors."""
    index: dict[str, tuple[str, str]] = {}
    for row in patterns("organisations") + patterns("vendors"):
        text = row["pattern"] if isinstance(row["pattern"], str) else " ".join(
            t.get("ORTH", "") for t in row["pattern"])
        label = row["label"]
        if label == "VENDOR":
            index.setdefault(text.lower(), ("VENDOR", vendor(row["id"])["name"]))
        else:
            index.setdefault(text.lower(), ("ORG", organisation_name(row["id"])))
    return index


@lru_cache(maxsize=1)
def office_index() -> dict[str, str]:
    """Lower-cased office title ('secretary of state for transport') -> organisation name."""
    return {row["pattern"].lower(): organisation_name(row["id"]) for row in patterns("organisations")
            if row["label"] == "OFFICE" and isinstance(row["pattern"], str)}


@lru_cache(maxsize=1)
def vendor_regex() -> tuple[re.Pattern, dict[str, str]]:
    """One regex over every vendor alias (case-insensitive), for quick looks at titles."""
    names: dict[str, str] = {}
    for row in patterns("vendors"):
        text = row["pattern"] if isinstance(row["pattern"], str) else " ".join(t.get("ORTH", "") for t in row["pattern"])
        names[text.lower()] = vendor(row["id"])["name"]
    alternatives = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)", re.I), names


def vendors_in(text: str) -> list[str]:
    pattern, names = vendor_regex()
    return list(dict.fromkeys(names[m.group(0).lower()] for m in pattern.finditer(text or "")))


ADDRESSED = re.compile(r"^\s*To ask (?:the )?(.+?)(?:,| whether| what| if| how| when| which| why| pursuant|$)", re.I)


def issuer_from(title: str | None, text: str | None) -> str | None:
    """Who answers: the department a written question's heading or 'To ask the X' names."""
    head = (title or "").split(":", 1)[0].strip()
    if head and ":" in (title or ""):
        hit = alias_index().get(head.lower())
        if hit and hit[0] == "ORG":
            return hit[1]
    m = ADDRESSED.match(text or "")
    if m:
        return office_index().get(m.group(1).strip().lower())
    return None


@lru_cache(maxsize=4096)
def canonical_organisation(name: str | None) -> str | None:
    """A department name as a source writes it, in its canonical form when known."""
    if not name:
        return None
    text = re.sub(r"\s+", " ", name).strip()
    hit = alias_index().get(text.lower()) or alias_index().get(re.sub(r"^the ", "", text.lower()))
    return hit[1] if hit and hit[0] == "ORG" else text
