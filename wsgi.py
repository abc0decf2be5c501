"""WSGI entry point: `gunicorn wsgi:app`."""

from helpline import create_app

app = create_app()
