"""The downloads of every published figure, built ahead once per dataset version.

A full download of a large dataset takes a while to build (rows are read and written one by
one); once built for a version it is served from its file (app.web.downloads.kept_files). A thread in
each server process looks at the dataset version every few seconds and, when the full CSV or
JSON download of the current version is missing, builds it, so a reader's download is served
from the file rather than built while they wait. One process builds at a time (a lock file);
the others find the file there afterwards. Failures (an unreachable database) are logged and
tried again at the next look.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from app import queries
from app.domain.filters import FigureFilter
from app.settings import Settings
from app.web.api.schemas import ExportQuery
from app.web.deps import snapshot_session
from app.web.downloads.kept_files import written_through
from app.web.downloads.routes import canonical_download, export_body, kept_download_path

try:
    import fcntl
except ImportError:  # not on POSIX: each process builds on its own
    fcntl = None  # type: ignore[assignment]

LOGGER = logging.getLogger(__name__)
FULL_DOWNLOADS = ("csv", "json")
LOCK_NAME = ".prebuild.lock"


@contextmanager
def _build_lock(directory: Path) -> Iterator[bool]:
    """Yield True while holding the directory's build lock, False when another process holds it."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / LOCK_NAME).open("a") as handle:
        if fcntl is None:
            yield True
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_full_downloads(engine: Engine, settings: Settings) -> list[Path]:
    """Build the missing full downloads of the current dataset version; return the files built."""
    built: list[Path] = []
    with (
        _build_lock(Path(settings.export_cache_dir)) as holding,
        snapshot_session(engine) as session,
    ):
        if not holding:
            return built
        version = queries.current_dataset_version(session)
        for file_format in FULL_DOWNLOADS:
            query, figure_filter = canonical_download(
                session, ExportQuery(), FigureFilter(), file_format
            )
            path = kept_download_path(settings, version, file_format, query)
            if path.is_file():
                continue
            body = export_body(
                session, query, figure_filter, file_format, version=version, settings=settings
            )
            for _chunk in written_through(body, path, max_bytes=settings.export_cache_max_bytes):
                pass
            built.append(path)
    return built


class DownloadPrebuilder:
    """A daemon thread that builds the full downloads of each new dataset version."""

    def __init__(self, engine: Engine, settings: Settings, interval_seconds: float) -> None:
        self.engine = engine
        self.settings = settings
        self.interval_seconds = interval_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="download-prebuilder", daemon=True)

    def start(self) -> None:
        """Start looking (the first look is at once)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop looking; a build in progress is abandoned with the process, never half-kept."""
        self._stopping.set()
        self._thread.join(timeout=1)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                for path in build_full_downloads(self.engine, self.settings):
                    LOGGER.info("built the download %s", path.name)
            except Exception:
                LOGGER.exception("building the full downloads failed; trying again later")
            self._stopping.wait(self.interval_seconds)
