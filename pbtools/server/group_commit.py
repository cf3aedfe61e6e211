"""Phones' submissions stored together: one commit for what arrives about the same time (a commit with fsync takes
3-12 ms; 300 phones one after the other would wait seconds). ``GroupCommit`` queues each submission, and on its one
worker thread hands a batch to ``submit_many``, which stores it in one transaction and returns one outcome per
submission (or an exception for one): each waiting request gets its own, once committed.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

GATHER_S = 0.002  # a submission waits this long for others to share its commit


class GroupCommit:
    """Every method but ``call`` and ``submit`` runs on the one worker thread (what it keeps is never shared)."""

    def __init__(self, thread_name: str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=thread_name)
        self._queue: list[tuple[tuple, asyncio.Future]] = []  # submissions waiting for the next commit
        self._flushing: asyncio.Task | None = None

    async def call(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def submit(self, *args: Any) -> Any:
        """Store one submission together with those arriving about now; its outcome once committed."""
        future = asyncio.get_running_loop().create_future()
        self._queue.append((args, future))
        if self._flushing is None:
            self._flushing = asyncio.create_task(self._flush())
        return await future

    def submit_many(self, batch: list[tuple]) -> list[Any]:  # pragma: no cover - each desk stores its own kind
        raise NotImplementedError

    async def _flush(self) -> None:
        try:
            await asyncio.sleep(GATHER_S)
            while self._queue:  # what arrived during a commit goes into the next one
                batch, self._queue = self._queue, []
                try:
                    outcomes = await self.call(self.submit_many, [args for args, _ in batch])
                except Exception as e:  # noqa: BLE001 - each waiting request fails (500), none is told "stored"
                    logging.getLogger(__name__).exception("%s: submissions not stored", type(self).__name__)
                    outcomes = [e] * len(batch)
                for (_, future), outcome in zip(batch, outcomes):
                    if future.done():  # cancelled: the phone went away
                        continue
                    if isinstance(outcome, Exception):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            self._flushing = None
