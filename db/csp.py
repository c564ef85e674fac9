"""Content-Security-Policy for the site (#18).

Our pages carry no script at all. Datasette's own pages carry a few inline scripts (the SQL
editor, the menus); instead of leaving them without ``script-src``, the policy lists the
SHA-256 of each inline script in Datasette's templates, so those run and nothing injected
into a page does. The hashes are read from the installed Datasette at start-up, so an
upgrade cannot silently break the editor (a browser test checks it runs).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

COMMON = "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
STRICT = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " + COMMON)
OUR_PAGES = ("/", "/timeline", "/sources", "/vendors", "/organisations", "/people", "/jurisdictions", "/documents")
OUR_PREFIXES = ("/vendors/", "/organisations/", "/events/", "/people/", "/documents/", "/raw/")
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def _variants(script: str) -> list[str]:
    """The rendered forms of one template script (only ``{{ datasette_allow_facet }}`` varies)."""
    if "{{" not in script and "{%" not in script:
        return [script]
    if re.fullmatch(r"[^{]*\{\{ datasette_allow_facet \}\}[^{]*", script):
        return [script.replace("{{ datasette_allow_facet }}", value) for value in ("true", "false")]
    return []  # a script built from data cannot be allow-listed by hash


@lru_cache(maxsize=1)
def datasette_script_hashes() -> tuple[str, ...]:
    import datasette

    hashes = set()
    for template in sorted((Path(datasette.__file__).parent / "templates").rglob("*.html")):
        for script in _SCRIPT.findall(template.read_text(encoding="utf-8")):
            for text in _variants(script):
                digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
                hashes.add(f"'sha256-{digest}'")
    return tuple(sorted(hashes))


def policy(path: str) -> str:
    if path in OUR_PAGES or path.startswith(OUR_PREFIXES):
        return STRICT
    return f"script-src 'self' {' '.join(datasette_script_hashes())}; " + COMMON
