"""Where a topic's data lives: ``topics/<name>/``, chosen by name or path.

A topic is a directory of data only (sources.yml, vocab.yml, patterns/, recordings/,
eval/, ANNOTATION.md; topics/README.md describes each file). Code never names a
topic's words: it is given the directory.

The topic is chosen, first match wins, by the ``name`` passed in (``--topic``), by the
``TOPIC`` environment variable, else ``DEFAULT``. A name is a folder under this one; a
value holding a path separator is a directory anywhere (a topic kept outside the repository).
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = "cameras"


class UnknownTopic(LookupError):
    """No topic directory by that name or path."""


def name(chosen: str | None = None) -> str:
    """The chosen topic's name or path as given (``--topic``, then ``TOPIC``, then the default)."""
    return chosen or os.environ.get("TOPIC") or DEFAULT


def directory(chosen: str | None = None) -> Path:
    """The chosen topic's directory; UnknownTopic names the topics there are."""
    value = name(chosen)
    path = Path(value).expanduser() if os.sep in value or value.startswith(".") else HERE / value
    if not (path / "vocab.yml").is_file():
        raise UnknownTopic(f"no topic {value!r} (looked for {path}/vocab.yml); topics here: {', '.join(names())}")
    return path.resolve()


def names() -> list[str]:
    """The topics shipped in this folder."""
    return sorted(p.parent.name for p in HERE.glob("*/vocab.yml"))
