"""Alembic migrations of the desk schema.

``HEAD`` is the newest revision; a test checks it against Alembic's own script directory so
that start-up can compare the stamped revision without importing Alembic.
"""

HEAD = "0011_report_indexes"
