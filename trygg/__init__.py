"""Trygg: shared local safety work (EST) for Swedish municipalities, the police and partners."""
