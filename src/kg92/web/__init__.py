"""The Flask application: the factory (``create_app``), the resources accessor and every blueprint (the only routes)."""
