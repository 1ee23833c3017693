"""Canned queries: the registry of queries/*.rq, their typed parameters and bindings, the OpenAPI description. No Flask."""
