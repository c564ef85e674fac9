"""The site: Datasette in configuration-directory mode over one database.

``site/`` is a Datasette configuration directory (metadata.yml, settings.json, templates/,
plugins/, static/), read as ``datasette serve site/`` reads it; the database is passed beside
it, so its file may be called anything (the site's pages ask Datasette which database is served).
``app()`` is what ``python -m db serve`` runs and what tests drive in process through
``app(path).client``.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from datasette.app import Datasette

SITE = Path(__file__).resolve().parent.parent / "site"


def app(path: str | Path, immutable: bool = False, config_dir: str | Path = SITE) -> Datasette:
    """Datasette for one database with the site's configuration directory. ``immutable`` opens the file
    read-only without locking (replicas of a published build) and uses the counts ``python -m db stage``
    precomputed in ``inspect.json`` beside it, if any."""
    path = Path(path)
    if not immutable:
        return Datasette([str(path)], config_dir=Path(config_dir))
    counts = path.parent / "inspect.json"
    inspect_data = json.loads(counts.read_text()) if counts.exists() else view_counts(path)
    return Datasette([], immutables=[str(path)], config_dir=Path(config_dir), inspect_data=inspect_data)


COUNTED_VIEWS = ("timeline",)  # views Datasette would count on every request of their table page


def view_counts(path: Path) -> dict | None:
    """Inspect data for an immutable database without ``inspect.json``: the row counts of COUNTED_VIEWS, counted
    once at start (the file cannot change while served immutable, so they are exact), so that Datasette's
    table page of the timeline does not count the whole view on every request (issue 19: a tenth of a second
    at a million documents). Tables Datasette counts itself, as before. The hash is the build's id."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"))
        tables = {name: {"count": conn.execute(f"SELECT COUNT(*) FROM [{name}]").fetchone()[0]}
                  for name in COUNTED_VIEWS if kinds.get(name) == "view"}
        build = conn.execute("SELECT value FROM build_info WHERE key = 'build_id'").fetchone() \
            if kinds.get("build_info") == "table" else None
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    name = path.stem  # Datasette names a database after its file
    return {name: {"hash": build[0] if build else None, "size": path.stat().st_size, "file": path.name,
                   "tables": tables}}


def run(path: str | Path, host: str, port: int, immutable: bool = False, workers: int = 1) -> None:
    """Serve until interrupted (uvicorn, as ``datasette serve`` runs it). ``workers`` > 1: that many
    processes on the one socket, each its own Datasette over the same file (the database is read-only
    while served, so they need nothing from each other); a page's Python (templates, rows) then uses
    every core instead of one (issue 19: 20 concurrent clients on 2 cores)."""
    import uvicorn

    ds = app(path, immutable)
    asyncio.run(ds.invoke_startup())
    asyncio.run(ds.get_database().execute("SELECT 1 FROM sqlite_master LIMIT 1"))  # fail at once on a bad file
    if workers <= 1:
        uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on", workers=1)
        return
    os.environ[_WORKER_ENV] = json.dumps({"path": str(Path(path).resolve()), "immutable": immutable})
    uvicorn.run(f"{__name__}:worker_app", factory=True, host=host, port=port, log_level="info", lifespan="on",
                workers=workers)


_WORKER_ENV = "POLICY_TRACKER_SERVE"


def worker_app():
    """The ASGI app of one worker process (``run`` with workers > 1 passes the database in the environment)."""
    spec = json.loads(os.environ[_WORKER_ENV])
    return app(spec["path"], spec["immutable"]).app()
