"""The data nlp/ runs on: vocab.yml and patterns/*.jsonl, loaded once."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import srsly
import yaml

HERE = Path(__file__).parent
PATTERNS = HERE / "patterns"
CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def vocab() -> dict:
    return yaml.safe_load((HERE / "vocab.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def patterns(name: str) -> tuple:
    return tuple(srsly.read_jsonl(PATTERNS / f"{name}.jsonl"))


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


def canonical_organisation(name: str | None) -> str | None:
    """A department name as a source writes it, in its canonical form when known."""
    if not name:
        return None
    text = re.sub(r"\s+", " ", name).strip()
    hit = alias_index().get(text.lower()) or alias_index().get(re.sub(r"^the ", "", text.lower()))
    return hit[1] if hit and hit[0] == "ORG" else text
