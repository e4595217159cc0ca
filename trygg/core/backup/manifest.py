"""manifest.json: what a backup holds and how to know it is whole.

It is written last, so a directory without it is a backup that never finished. A restore reads
it first and checks every file it names (present, same size, same SHA-256) before it changes
anything."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

from trygg.core.backup.errors import BackupRefused

NAME = "manifest.json"
# Raised when the layout of a backup changes; a restore refuses a format it does not know.
FORMAT = 1
CHUNK = 1024 * 1024


@dataclass
class Manifest:
    vendor: str
    database_file: str
    created_at: str
    migrations: dict[str, str]
    row_counts: dict[str, int]
    files: dict[str, dict] = field(default_factory=dict)
    format: int = FORMAT
    trygg_version: str = ""

    def media_files(self) -> list[str]:
        return [name for name in self.files if name.startswith("media/")]


def trygg_version() -> str:
    try:
        return metadata.version("trygg")
    except metadata.PackageNotFoundError:
        return "okänd"


def file_entry(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


def write_manifest(directory: Path, manifest: Manifest) -> None:
    text = json.dumps(asdict(manifest), ensure_ascii=False, indent=2, sort_keys=True)
    (directory / NAME).write_text(text + "\n", encoding="utf-8")


def read_manifest(directory: Path) -> Manifest:
    """The manifest of the backup in `directory`, or BackupRefused saying what is wrong."""
    if not directory.is_dir():
        raise BackupRefused(f"{directory} finns inte eller är ingen katalog.")
    path = directory / NAME
    if not path.is_file():
        raise BackupRefused(
            f"{NAME} saknas i {directory}: säkerhetskopian är ofullständig eller ingen "
            "säkerhetskopia från Trygg."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupRefused(f"{NAME} kan inte läsas: {error}") from None
    return _from_data(data)


def _from_data(data) -> Manifest:
    if not isinstance(data, dict):
        raise BackupRefused(f"{NAME} har fel form.")
    if data.get("format") != FORMAT:
        raise BackupRefused(
            f"{NAME} har formatet {data.get('format')!r}; den här versionen av Trygg läser "
            f"format {FORMAT}. Återställ med den version av Trygg som gjorde kopian."
        )
    try:
        manifest = Manifest(**data)
    except TypeError:
        raise BackupRefused(f"{NAME} saknar uppgifter eller har okända fält.") from None
    if not _well_formed(manifest):
        raise BackupRefused(f"{NAME} har fel form.")
    for name in manifest.files:
        _check_relative(name)
    if manifest.database_file not in manifest.files:
        raise BackupRefused(f"{NAME} nämner ingen databasfil.")
    return manifest


def _well_formed(manifest: Manifest) -> bool:
    return (
        isinstance(manifest.files, dict)
        and all(isinstance(entry, dict) for entry in manifest.files.values())
        and isinstance(manifest.row_counts, dict)
        and isinstance(manifest.migrations, dict)
        and all(isinstance(name, str) for name in manifest.migrations.values())
    )


def _check_relative(name: str) -> None:
    """A tampered manifest must not make a restore read or write outside the backup and the
    upload directory."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupRefused(f"{NAME} nämner en fil utanför säkerhetskopian: {name!r}.")


def verify_files(directory: Path, manifest: Manifest) -> None:
    """Every file the manifest names is present with its size and checksum; BackupRefused
    naming the first that is not."""
    for name, expected in manifest.files.items():
        path = directory / name
        if not path.is_file():
            raise BackupRefused(f"Filen {name} saknas i säkerhetskopian: den är ofullständig.")
        if path.stat().st_size != expected.get("size"):
            raise BackupRefused(f"Filen {name} har fel storlek: säkerhetskopian är skadad.")
        if file_entry(path)["sha256"] != expected.get("sha256"):
            raise BackupRefused(f"Filen {name} har fel kontrollsumma: säkerhetskopian är skadad.")
