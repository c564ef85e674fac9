"""Published builds as immutable releases for read-only replicas.

``stage()`` copies a built database to ``releases/<build_id>/tracker.db``,
precomputes its table counts with ``datasette inspect`` (so ``-i`` replicas
start without counting), and makes both files read-only. Replicas serve a
release with ``python -m db serve --immutable --db releases/<id>/tracker.db``;
a rollout restarts them one at a time on the new release (docs/deploy.md).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path


def build_id(db_path: Path) -> str:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT value FROM build_info WHERE key = 'build_id'").fetchone()[0]
    finally:
        conn.close()


def stage(db_path: Path, releases: Path) -> Path:
    """Copy a build into its release folder and precompute its counts; returns the release db.

    The release is complete once ``inspect.json`` exists (written last, atomically)."""
    release = Path(releases) / build_id(db_path)
    target, counts = release / "tracker.db", release / "inspect.json"
    if counts.exists():
        return target
    release.mkdir(parents=True, exist_ok=True)
    partial = release / "tracker.db.partial"
    shutil.copyfile(db_path, partial)
    os.replace(partial, target)
    result = subprocess.run([sys.executable, "-m", "datasette", "inspect", str(target)], check=True,
                            capture_output=True, text=True)
    (release / "inspect.json.partial").write_text(result.stdout)
    target.chmod(0o444)
    os.replace(release / "inspect.json.partial", counts)
    return target
