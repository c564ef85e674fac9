"""A topic's vocabulary and patterns, with the lookups built from them.

``Topic.from_dir(path)`` reads ``vocab.yml`` and ``patterns/*.jsonl`` of a topic
directory (see topics/README.md); ``Topic(data)`` takes the same as plain data,
which is what the pipeline's components keep with ``to_disk``. Nothing here is
global: every lookup belongs to one Topic object.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import srsly
import yaml

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 15x faster
CJK = re.compile(r"[\u3400-\u9fff]")  # patterns in CJK script are matched on the text, not by tokens
ADDRESSED = re.compile(r"^\s*To ask (?:the )?(.+?)(?:,| whether| what| if| how| when| which| why| pursuant|$)", re.I)


class Topic:
    def __init__(self, data: dict):
        self.data = {"name": data.get("name", ""), "vocab": data["vocab"],
                     "patterns": {k: list(v) for k, v in (data.get("patterns") or {}).items()},
                     "confidence": data.get("confidence")}
        self._canonical: dict[str, str | None] = {}

    @classmethod
    def from_dir(cls, path: str | Path) -> Topic:
        path = Path(path)
        vocab = yaml.load((path / "vocab.yml").read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        patterns = {p.stem: list(srsly.read_jsonl(p)) for p in sorted((path / "patterns").glob("*.jsonl"))}
        confidence = path / "confidence.json"  # the calibrated confidence model (python -m nlp calibrate), if any
        return cls({"name": path.name, "vocab": vocab, "patterns": patterns,
                    "confidence": srsly.read_json(confidence) if confidence.is_file() else None})

    def to_dict(self) -> dict:
        return self.data

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def vocab(self) -> dict:
        return self.data["vocab"]

    def patterns(self, name: str) -> list[dict]:
        return self.data["patterns"].get(name, [])

    @property
    def peers(self) -> dict[str, str]:
        """A peer's short title -> the Hansard title with its territorial designation (vocab ``peers``):
        "Lord Smith" -> "Lord Smith of Example", when the vocabulary holds one such peer of that short title."""
        if "_peers" not in self.__dict__:
            short: dict[str, list[str]] = {}
            for title in self.vocab.get("peers") or []:
                if " of " in title:
                    short.setdefault(title.split(" of ")[0], []).append(title)
            self._peers = {k: v[0] for k, v in short.items() if len(v) == 1}
        return self._peers

    def action_types(self) -> list[str]:
        return list(self.vocab["actions"])

    def vendor(self, vendor_id: str) -> dict:
        return self.vocab["vendors"][vendor_id]

    def organisation_name(self, org_id: str) -> str:
        return self.vocab["organisations"][org_id]["name"]

    # -- lookups --------------------------------------------------------------

    @cached_property
    def alias_index(self) -> dict[str, tuple[str, str]]:
        """Lower-cased alias -> (label, canonical name) for organisations and vendors."""
        index: dict[str, tuple[str, str]] = {}
        for row in self.patterns("organisations") + self.patterns("vendors"):
            text = _pattern_text(row)
            if row["label"] == "VENDOR":
                index.setdefault(text.lower(), ("VENDOR", self.vendor(row["id"])["name"]))
            else:
                index.setdefault(text.lower(), ("ORG", self.organisation_name(row["id"])))
        return index

    @cached_property
    def office_index(self) -> dict[str, str]:
        """Lower-cased office title ('secretary of state for transport') -> organisation name."""
        return {row["pattern"].lower(): self.organisation_name(row["id"]) for row in self.patterns("organisations")
                if row["label"] == "OFFICE" and isinstance(row["pattern"], str)}

    @cached_property
    def _vendor_regex(self) -> tuple[re.Pattern | None, dict[str, str]]:
        names = {_pattern_text(row).lower(): self.vendor(row["id"])["name"] for row in self.patterns("vendors")}
        if not names:
            return None, names
        alternatives = sorted(names, key=len, reverse=True)
        return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)", re.I), names

    def vendors_in(self, text: str) -> list[str]:
        """Canonical names of the vendors a text names (one regex over every alias, for quick looks at titles)."""
        pattern, names = self._vendor_regex
        if pattern is None:
            return []
        return list(dict.fromkeys(names[m.group(0).lower()] for m in pattern.finditer(text or "")))

    def issuer_from(self, title: str | None, text: str | None) -> str | None:
        """Who answers: the department a written question's heading or 'To ask the X' names."""
        head = (title or "").split(":", 1)[0].strip()
        if head and ":" in (title or ""):
            hit = self.alias_index.get(head.lower())
            if hit and hit[0] == "ORG":
                return hit[1]
        m = ADDRESSED.match(text or "")
        if m:
            return self.office_index.get(m.group(1).strip().lower())
        return None

    def canonical_organisation(self, name: str | None) -> str | None:
        """A department name as a source writes it, in its canonical form when known."""
        if not name:
            return None
        if name not in self._canonical:
            if len(self._canonical) > 100_000:  # a long run meets many names found by shape
                self._canonical.clear()
            text = re.sub(r"\s+", " ", name).strip()
            index = self.alias_index
            hit = index.get(text.lower()) or index.get(re.sub(r"^the ", "", text.lower()))
            self._canonical[name] = hit[1] if hit and hit[0] == "ORG" else text
        return self._canonical[name]


def _pattern_text(row: dict) -> str:
    pattern = row["pattern"]
    return pattern if isinstance(pattern, str) else " ".join(t.get("ORTH", "") for t in pattern)
