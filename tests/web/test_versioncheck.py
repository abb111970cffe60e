"""Shared version reads: a request never gets a read that began before it arrived."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from app.web.pages.version_reads import SharedVersionReads


def run(scenario: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run a scenario in an event loop of its own thread (the browser tests keep one in this one)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(scenario())).result()


class CountingRead:
    """A blocking read that returns how many reads had begun when it began, after a pause."""

    def __init__(self, pause: float = 0.05, fail: bool = False) -> None:
        self.pause = pause
        self.fail = fail
        self.started = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            self.started += 1
            number = self.started
        time.sleep(self.pause)
        if self.fail:
            raise RuntimeError(f"read {number} failed")
        return f"v{number}"


def test_a_lone_request_gets_its_own_read_each_time() -> None:
    read = CountingRead(pause=0)
    reads = SharedVersionReads(read)

    async def scenario() -> list[str]:
        return [await reads.current() for _ in range(3)]

    assert run(scenario) == ["v1", "v2", "v3"]


def test_requests_arriving_during_a_read_share_the_next_one() -> None:
    read = CountingRead()
    reads = SharedVersionReads(read)

    async def scenario() -> tuple[str, list[str]]:
        first = asyncio.ensure_future(reads.current())
        await asyncio.sleep(0.01)  # the first read is running now
        later = [asyncio.ensure_future(reads.current()) for _ in range(20)]
        return await first, list(await asyncio.gather(*later))

    first, later = run(scenario)
    assert first == "v1"
    assert later == ["v2"] * 20  # one read for twenty requests, begun after they all arrived
    assert read.started == 2


def test_a_failed_read_fails_every_request_waiting_for_it_and_the_next_one_runs_again() -> None:
    read = CountingRead(fail=True)
    reads = SharedVersionReads(read)

    async def scenario() -> list[BaseException | str]:
        first = asyncio.ensure_future(reads.current())
        await asyncio.sleep(0.01)
        later = [asyncio.ensure_future(reads.current()) for _ in range(3)]
        return list(await asyncio.gather(first, *later, return_exceptions=True))

    outcomes = run(scenario)
    assert [str(outcome) for outcome in outcomes] == [
        "read 1 failed",
        "read 2 failed",
        "read 2 failed",
        "read 2 failed",
    ]
    read.fail = False

    async def again() -> str:
        return await reads.current()

    assert run(again) == "v3"


def test_a_request_that_goes_away_does_not_cancel_the_read_the_others_wait_for() -> None:
    read = CountingRead()
    reads = SharedVersionReads(read)

    async def scenario() -> list[str]:
        first = asyncio.ensure_future(reads.current())
        await asyncio.sleep(0.01)
        leaving = asyncio.ensure_future(reads.current())
        staying = asyncio.ensure_future(reads.current())
        await asyncio.sleep(0)
        leaving.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leaving
        return [await first, await staying]

    assert run(scenario) == ["v1", "v2"]
