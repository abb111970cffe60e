"""The dataset version as the kept pages check it: reads shared by the requests waiting for them.

Each request must see a version read that began after the request arrived: a read that was
already running may have started before a change was committed, and would let the request
be answered with a page older than the change. So a request arriving while a read runs waits
for the next one, which starts as soon as the running one ends, and every request waiting
then shares it. Under load this answers any number of requests with one statement at a time;
alone, a request costs one statement as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool


class SharedVersionReads:
    """Runs `read` (blocking, in the thread pool) for the requests of one event loop, shared."""

    def __init__(self, read: Callable[[], str]) -> None:
        self._read = read
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Future[str] | None = None
        self._next: asyncio.Future[str] | None = None

    async def current(self) -> str:
        """Return a version read that began after this call."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests start several): start afresh
            self._loop, self._running, self._next = loop, None, None
        if self._running is None:
            self._running = self._start()
            return await asyncio.shield(self._running)
        if self._next is None:
            self._next = loop.create_future()
            self._next.add_done_callback(_retrieve)
        return await asyncio.shield(self._next)

    def _start(self) -> asyncio.Future[str]:
        task = asyncio.ensure_future(run_in_threadpool(self._read))
        task.add_done_callback(self._finished)
        return task

    def _finished(self, _task: asyncio.Future[str]) -> None:
        waiting, self._next = self._next, None
        if waiting is None:
            self._running = None
            return
        self._running = self._start()
        self._running.add_done_callback(lambda done: _copy_outcome(done, waiting))


def _retrieve(future: asyncio.Future[str]) -> None:
    """Mark a failure as seen, also when every request waiting for it has gone away."""
    if not future.cancelled():
        future.exception()


def _copy_outcome(source: asyncio.Future[str], target: asyncio.Future[str]) -> None:
    if target.cancelled():
        return
    if source.cancelled():
        target.cancel()
    elif (error := source.exception()) is not None:
        target.set_exception(error)
    else:
        target.set_result(source.result())
