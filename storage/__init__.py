"""The mention archive: SQLAlchemy over SQLite (embedded default) or PostgreSQL."""
