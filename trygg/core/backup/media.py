"""Uploaded files (MEDIA_ROOT: photos of walks and residents' reports, anything under it),
copied into the backup's media/ and back."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from trygg.core.backup.errors import BackupFailed, BackupRefused
from trygg.core.backup.manifest import CHUNK

PREFIX = "media/"


def files_under(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def copy_with_checksum(source: Path, target: Path) -> dict:
    """Copy one file and return its manifest entry, summed from the bytes as they were
    copied (the file may change after; the backup holds what was read)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reading, target.open("wb") as writing:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            writing.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return {"sha256": digest.hexdigest(), "size": size}


def back_up(media_root: Path, directory: Path) -> dict[str, dict]:
    """Every file under media_root copied to DIRECTORY/media/, by manifest name."""
    entries = {}
    for path in files_under(media_root):
        name = PREFIX + path.relative_to(media_root).as_posix()
        entries[name] = copy_with_checksum(path, directory / name)
    return entries


def check_empty(media_root: Path) -> None:
    found = files_under(media_root)
    if found:
        raise BackupRefused(
            f"Katalogen för uppladdade filer ({media_root}) innehåller redan filer "
            f"({len(found)} st.): återställ bara till en tom installation."
        )


def stage(directory: Path, files: dict[str, dict], media_root: Path) -> Path:
    """The backup's files copied into a new directory beside media_root, checked again as
    they are copied; moved into place only once the database is restored."""
    staging = media_root.parent / f".{media_root.name}-restore-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for name, expected in files.items():
            copied = copy_with_checksum(directory / name, staging / name.removeprefix(PREFIX))
            if copied != expected:
                raise BackupFailed(f"Filen {name} ändrades medan den återställdes.")
    except (OSError, BackupFailed) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupFailed(f"De uppladdade filerna kunde inte kopieras: {error}") from None
    return staging


def put_in_place(staging: Path, media_root: Path) -> None:
    # media_root holds no files (checked before), at most empty directories.
    if media_root.exists():
        shutil.rmtree(media_root)
    staging.rename(media_root)
