"""Thin WSGI entry point: `gunicorn server:app` or `granian --interface wsgi server:app` (`kg92 serve` runs the factory itself, in each worker)."""

from kg92.web.app import create_app

app = create_app()
