"""Turn the readable token patterns of a topic's patterns/ into fast phrase patterns at load time.

A token pattern whose every token is a fixed choice (``ORTH``, ``LOWER`` or
``LOWER: {IN: [...]}``, optional or not) and whose variants number at most
MAX_VARIANTS is expanded into phrase patterns: spaCy's PhraseMatcher finds
those by hashing, where the token Matcher tests every pattern at every token.
Patterns with wildcards or other predicates stay token patterns. The data
files are unchanged; this is how they are loaded.
"""

from __future__ import annotations

import re
from itertools import product

MAX_VARIANTS = 5000


def _choices(token: dict) -> tuple[str, list[str], bool] | None:
    """(attribute, values, optional) for a fixed-choice token, or None."""
    optional = token.get("OP") == "?"
    if set(token) - {"OP"} == set() or token.get("OP") not in (None, "?"):
        return None
    keys = set(token) - {"OP"}
    if len(keys) != 1:
        return None
    attr = keys.pop()
    if attr not in ("ORTH", "LOWER"):
        return None
    value = token[attr]
    if isinstance(value, str):
        return attr, [value], optional
    if isinstance(value, dict) and set(value) == {"IN"}:
        return attr, list(value["IN"]), optional
    return None


def expand(row: dict) -> tuple[str, list[dict]]:
    """('LOWER' | 'ORTH' | 'TOKEN', rows): phrase rows for one matcher attribute, or the row as it was."""
    pattern = row["pattern"]
    if isinstance(pattern, str):
        return "LOWER", [row]
    choices = [_choices(token) for token in pattern]
    if any(c is None for c in choices):
        return "TOKEN", [row]
    # an ORTH choice that has no letters to case ("-", "889", quotes) matches the same under LOWER
    choices = [("LOWER", c[1], c[2]) if c[0] == "ORTH" and all(v == v.lower() for v in c[1]) else c for c in choices]
    attrs = {c[0] for c in choices}
    if len(attrs) != 1:
        return "TOKEN", [row]
    options = [c[1] + ([""] if c[2] else []) for c in choices]
    count = 1
    for option in options:
        count *= len(option)
    if count > MAX_VARIANTS:
        return "TOKEN", [row]
    rows = []
    for combo in product(*options):
        words = [w for w in combo if w]
        if words:
            rows.append({"label": row["label"], "pattern": words, "id": row["id"]})
    return attrs.pop(), rows


_NUMBER = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds|thousands)"


def _token_regex(token: dict) -> tuple[str, bool]:
    """(regex, is_word) for one token of a pattern; raises ValueError for what has no regex form."""
    keys = set(token) - {"OP"}
    if not keys:
        return r"\S+", True
    if keys == {"LIKE_NUM"} and token["LIKE_NUM"] is True:
        return _NUMBER, True
    if len(keys) == 1 and keys & {"LOWER", "ORTH"}:
        value = token[keys.pop()]
        values = [value] if isinstance(value, str) else value.get("IN", None)
        if values is None or (isinstance(value, dict) and set(value) != {"IN"}):
            raise ValueError(f"no regex form for {token}")
        word = all(v[:1].isalnum() and v[-1:].isalnum() for v in values)
        alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
        return (rf"\b(?:{alternatives})\b" if word else f"(?:{alternatives})"), word
    raise ValueError(f"no regex form for {token}")


def to_regex(pattern: list[dict]) -> re.Pattern:
    """A token pattern as a case-insensitive regex over the text (for the few that cannot be phrases).

    Tokens are separated by optional white space where one side is punctuation,
    else by at least one space; ``{"OP": "?"}`` makes a token and its separator optional.
    """
    parts = []
    for i, token in enumerate(pattern):
        body, word = _token_regex(token)
        optional = token.get("OP") == "?"
        if token.get("OP") not in (None, "?"):
            raise ValueError(f"no regex form for {token}")
        separator = "" if i == 0 else (r"\s+" if word and parts and parts[-1][1] else r"\s*")
        chunk = f"{separator}{body}"
        parts.append((f"(?:{chunk})?" if optional else chunk, word))
    return re.compile("".join(p for p, _ in parts), re.I)
