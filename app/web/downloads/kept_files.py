"""Downloads kept on disk per dataset version: built once while the first client streams them.

A file is named by the dataset version and a hash of the database and the request, so a
download of another version or database never matches it. Only downloads read from a committed
snapshot are kept (the version of committed data is never repeated), and a file appears under
its name only once complete; files of older versions are removed when a new one is kept, and
the oldest files go first when the kept files together pass their size cap. Partial files left by
a writer that died (killed mid-download) are removed at start-up.
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


def written_through(
    chunks: Iterator[bytes], path: Path, *, max_bytes: int | None = None
) -> Iterator[bytes]:
    """Yield the chunks and keep them in the file at path once all were sent (then remove the
    oldest kept files until all of them together take at most max_bytes)."""
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
        if max_bytes is not None:
            keep_within(path.parent, max_bytes)
    finally:
        if not complete:
            partial.unlink(missing_ok=True)


def _remove_other_versions(kept: Path) -> None:
    version = kept.name.rsplit("-", 1)[0]
    for other in kept.parent.iterdir():
        if other.name.startswith((version + "-", ".")) or other.name.endswith(".part"):
            continue  # this version's files, files being written, and lock files stay
        other.unlink(missing_ok=True)


def _kept_files(directory: Path) -> list[Path]:
    """Return the complete kept files of the directory (no partial or hidden lock files)."""
    return [
        entry
        for entry in directory.iterdir()
        if entry.is_file() and not entry.name.startswith(".") and not entry.name.endswith(".part")
    ]


def keep_within(directory: Path, max_bytes: int) -> list[Path]:
    """Remove the oldest kept files until those left take at most max_bytes; return the removed."""
    files = []
    for entry in _kept_files(directory):
        try:
            status = entry.stat()
        except FileNotFoundError:
            continue
        files.append((status.st_mtime_ns, status.st_size, entry))
    files.sort()
    total = sum(size for _, size, _ in files)
    removed = []
    for _, size, entry in files:
        if total <= max_bytes:
            break
        entry.unlink(missing_ok=True)
        total -= size
        removed.append(entry)
    return removed


def _writer_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stray_parts(directory: Path) -> list[Path]:
    """Remove the partial files whose writing process is gone; return what was removed.

    A partial file is named `<kept name>.<pid>.<n>.part`; one whose process still runs (another
    worker writing it now) stays.
    """
    if not directory.is_dir():
        return []
    removed = []
    for entry in directory.glob("*.part"):
        fields = entry.name.split(".")
        writer = int(fields[-3]) if len(fields) >= 4 and fields[-3].isdigit() else None
        if writer is None or not _writer_is_alive(writer):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
