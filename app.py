"""Entry point: `flask --app app run`, or `gunicorn app:app` in production."""

from marketplace import create_app

app = create_app()
