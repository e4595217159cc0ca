"""Writes of the citizens app, one module per subject."""
