"""The web interface and JSON API: ``newsloom serve --db FILE`` (see docs/web.md)."""
from __future__ import annotations


def create_app(db_path: str, **options):
    from newsloom.web.app import create_app as _create

    return _create(db_path, **options)
