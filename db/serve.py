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
    inspect_data = json.loads(counts.read_text()) if counts.exists() else None
    return Datasette([], immutables=[str(path)], config_dir=Path(config_dir), inspect_data=inspect_data)


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
