"""Runs SPARQL: the engine (cache + worker pool), the lexical safety scan, the worker sandbox. No Flask request here."""
