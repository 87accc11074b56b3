"""Entry point for ``celery -A webapp.worker worker``: the Celery app bound to a Flask app."""
from webapp import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
