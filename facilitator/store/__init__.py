"""Persistence: SQLAlchemy 2 models, the database engine, migrations and the repository."""
