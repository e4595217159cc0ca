"""What a database dump holds, counted from the same snapshot that was dumped."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Snapshot:
    file_name: str
    row_counts: dict[str, int]
    migrations: dict[str, str]
