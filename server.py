"""Thin WSGI entry point: `gunicorn server:app` (what `kg92 serve` and `make serve` run)."""

from kg92.web.app import create_app

app = create_app()
