"""kg92: a linked-data knowledge graph of social-policy commitments in the Hauts-de-Seine."""

__version__ = "0.1.0"
