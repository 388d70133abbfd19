"""Child processes of ``commerce dev``: start them, relay their output, notice deaths, stop them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, NoReturn

import httpx

from shared.runtime.console import Console

log = logging.getLogger("commerce.platform")


class ChildExited(Exception):
    def __init__(self, name: str, returncode: int) -> None:
        super().__init__(f"{name} exited with code {returncode}")
        self.name = name
        self.returncode = returncode


@dataclass
class _Child:
    name: str
    process: asyncio.subprocess.Process
    relay: asyncio.Task[None]


class Supervisor:
    """Owns the children; leaving ``async with`` stops every one of them."""

    def __init__(self, console: Console, stop_timeout: float = 10.0) -> None:
        self.console = console
        self.stop_timeout = stop_timeout
        self._children: list[_Child] = []
        self._stopping = False
        self._first_exit: ChildExited | None = None
        self._exited = asyncio.Event()

    async def spawn(self, name: str, argv: Sequence[str], env: Mapping[str, str]) -> None:
        process = await asyncio.create_subprocess_exec(
            *argv,
            env=dict(env),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            # Its own process group: a Ctrl-C in the terminal reaches only us, and we stop
            # the children in order.
            process_group=0,
            limit=1 << 20,
        )
        relay = asyncio.create_task(self._relay(name, process))
        self._children.append(_Child(name, process, relay))

    async def wait_exit(self) -> NoReturn:
        """Raise ChildExited as soon as any child ends while not being stopped."""
        await self._exited.wait()
        assert self._first_exit is not None
        raise self._first_exit

    async def stop(self) -> None:
        """SIGTERM every child, then SIGKILL those still running after stop_timeout."""
        self._stopping = True
        for child in self._children:
            _signal_group(child.process, signal.SIGTERM)
        await asyncio.gather(*(self._reap(child) for child in self._children))

    async def __aenter__(self) -> Supervisor:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _relay(self, name: str, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        async for raw in process.stdout:
            self.console.line(name, raw.decode(errors="replace").rstrip("\r\n"))
        returncode = await process.wait()
        if self._stopping or self._first_exit is not None:
            return
        log.error("%s exited with code %d", name, returncode)
        self._first_exit = ChildExited(name, returncode)
        self._exited.set()

    async def _reap(self, child: _Child) -> None:
        try:
            await asyncio.wait_for(child.process.wait(), self.stop_timeout)
        except TimeoutError:
            log.warning("%s did not stop within %g s, killing it", child.name, self.stop_timeout)
            _signal_group(child.process, signal.SIGKILL)
            await child.process.wait()
        await child.relay


def _signal_group(process: asyncio.subprocess.Process, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


async def wait_healthy(urls: Mapping[str, str]) -> None:
    """Poll each named URL until it answers 200, logging every name as it does."""
    async with httpx.AsyncClient(timeout=2.0) as client:
        await asyncio.gather(*(_poll(client, name, url) for name, url in urls.items()))


async def _poll(client: httpx.AsyncClient, name: str, url: str) -> None:
    while True:
        with contextlib.suppress(httpx.TransportError):
            if (await client.get(url)).status_code == 200:
                log.info("%s is healthy", name)
                return
        await asyncio.sleep(0.2)


async def first_of(*awaitables: Awaitable[Any]) -> Any:
    """Await whichever finishes first (its result or its exception) and cancel the others."""
    tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return done.pop().result()
