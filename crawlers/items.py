"""The one item every spider yields, and its JSON Schema check."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import jsonschema

SCHEMA_FILE = Path(__file__).parent / "document.schema.json"


@dataclass
class Document:
    id: str
    source: str
    native_id: str
    kind: str
    url: str
    title: str
    text: str
    retrieved_at: str
    api_url: str | None = None
    html: str | None = None
    summary: str | None = None
    published: str | None = None
    published_raw: str | None = None
    jurisdiction: str | None = None
    department: str | None = None
    organisations: list[str] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    outlet: str | None = None
    content_hash: str | None = None
    raw_ref: str | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class InvalidDocument(ValueError):
    """A document that does not match document.schema.json; names the field."""

    def __init__(self, field_path: str, message: str):
        super().__init__(f"{field_path or '(document)'}: {message}")
        self.field = field_path
        self.reason = message


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def validate_document(doc: Document | dict) -> None:
    """Raise InvalidDocument naming the first failing field."""
    data = doc.to_dict() if isinstance(doc, Document) else doc
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        path = ".".join(str(p) for p in error.absolute_path)
        raise InvalidDocument(path, error.message[:200])
