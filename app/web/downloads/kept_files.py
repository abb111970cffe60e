"""Downloads kept on disk per dataset version: built once while the first client streams them.

A file is named by the dataset version and a hash of the database and the request, so a
download of another version or database never matches it. Only downloads read from a committed
snapshot are kept (the version of committed data is never repeated), and a file appears under
its name only once complete; files of older versions are removed when a new one is kept.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

SNAPSHOT_FLAG = "committed_snapshot"


def cache_path(directory: Path, database_url: str, version: str, request_key: str) -> Path:
    """Return where the download of this database, version and request is kept."""
    digest = hashlib.sha256(f"{database_url}\n{request_key}".encode()).hexdigest()[:24]
    return directory / f"{version}-{digest}"


def written_through(chunks: Iterator[bytes], path: Path) -> Iterator[bytes]:
    """Yield the chunks and keep them in the file at path once all were sent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{id(chunks)}.part")
    complete = False
    try:
        with partial.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                yield chunk
        os.replace(partial, path)
        complete = True
        _remove_other_versions(path)
    finally:
        if not complete:
            partial.unlink(missing_ok=True)


def _remove_other_versions(kept: Path) -> None:
    version = kept.name.rsplit("-", 1)[0]
    for other in kept.parent.iterdir():
        if other.name.startswith((version + "-", ".")) or other.name.endswith(".part"):
            continue  # this version's files, files being written, and lock files stay
        other.unlink(missing_ok=True)
