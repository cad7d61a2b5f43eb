"""Persistence: SQLAlchemy 2 models, the database engine, migrations and the store (one object per unit of work, split by aggregate)."""
