"""Writes on walks, one module per subject: findings (from the phones), and the others as they
come (planning, the protocol, the managers' answers)."""
