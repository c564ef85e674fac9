"""The schema's descriptions for the served database whatever its file is called.

site/metadata.yml documents the database under the name ``tracker``; a build served from a file
with another name (a copy, a release, another topic's database) gets the same descriptions.
"""

from __future__ import annotations

from datasette import hookimpl

DOCUMENTED = "tracker"


@hookimpl
def get_metadata(datasette, key, database, table):
    documented = (datasette._metadata_local.get("databases") or {}).get(DOCUMENTED)  # site/metadata.yml as read
    if not documented:
        return {}
    return {"databases": {name: documented for name in datasette.databases
                          if name not in (DOCUMENTED, "_internal")}}
