from django.db import connection


def test_database_vendor_matches_database_url(db, settings):
    import os

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
