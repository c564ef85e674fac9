"""The SQLite database: schema, idempotent ingest, search, atomic publish."""
