"""Every table, view and column has a description in site/metadata.yml (analysts read it as the schema)."""

import sqlite_utils
import yaml

from db import schema
from tests.conftest import ROOT


def test_every_table_and_column_is_described(built):
    metadata = yaml.safe_load((ROOT / "site" / "metadata.yml").read_text())
    tables = metadata["databases"]["tracker"]["tables"]
    missing = []
    for table, columns in schema.columns(sqlite_utils.Database(built["db"])).items():
        if not tables.get(table, {}).get("description"):
            missing.append(table)
            continue
        described = tables[table].get("columns", {})
        missing += [f"{table}.{c}" for c in columns if not described.get(c)]
    assert not missing, missing


def test_migrations_refuse_a_newer_database(tmp_path):
    import pytest

    db = sqlite_utils.Database(tmp_path / "x.db")
    db.execute("PRAGMA user_version = 99")
    with pytest.raises(schema.SchemaMismatch):
        schema.migrate(db)
