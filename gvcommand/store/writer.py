"""The single writer of a console: commands queue up and are committed in groups.

A durable commit costs one disk flush (about 1 ms here) and the chain head is locked until
it is done, so commits one by one top out near the disk's flush rate. The writer takes
every command waiting when the previous commit finishes and commits them together, each in
its own savepoint (a refused command fails alone). Under light load a group is one command
and nothing waits; under heavy load the groups grow and the flush is shared.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from ..core.commands import Command
from ..core.errors import DomainError
from ..core.model import Actor
from .event_store import CommandResult, EventStore

log = logging.getLogger(__name__)

_STOP = object()
T = TypeVar("T")


class _Call:
    """A function to run on the writer thread in its turn (see ``CommandWriter.call``)."""

    def __init__(self, fn: Callable[[], Any], future: Future[Any]) -> None:
        self.fn, self.future = fn, future

    def run(self) -> None:
        if not self.future.set_running_or_notify_cancel():
            return
        try:
            self.future.set_result(self.fn())
        except BaseException as exc:  # the caller reads it from the future
            self.future.set_exception(exc)


class CommandWriter:
    def __init__(
        self, store: EventStore, *, max_group: int = 256, name: str = "gvcommand-writer"
    ) -> None:
        self.store = store
        self.max_group = max_group
        self._queue: queue.Queue[object] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.groups = 0
        self.commands = 0

    def start(self) -> CommandWriter:
        self._thread.start()
        return self

    def submit(self, command: Command, actor: Actor) -> Future[CommandResult]:
        future: Future[CommandResult] = Future()
        self._queue.put((command, actor, future))
        return future

    def call(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` on the writer thread after everything submitted before it and before
        anything submitted after it: a check-then-write (did this command reach the log
        before the connection was lost?) that no other write of this console can overtake."""
        future: Future[T] = Future()
        self._queue.put(_Call(fn, future))
        return future

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what was submitted, then stop."""
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        carried: object = None  # a call met while gathering a group: it runs next
        while True:
            first, carried = (carried if carried is not None else self._queue.get()), None
            if first is _STOP:
                return
            if isinstance(first, _Call):
                first.run()
                continue
            group = [first]
            stopping = False
            while len(group) < self.max_group:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                if isinstance(item, _Call):
                    carried = item
                    break
                group.append(item)
            self._commit(group)  # type: ignore[arg-type]
            if stopping:
                return

    def _commit(self, group: list[tuple[Command, Actor, Future[CommandResult]]]) -> None:
        live = [
            (cmd, actor, fut) for cmd, actor, fut in group if fut.set_running_or_notify_cancel()
        ]
        if not live:
            return
        try:
            outcomes = self.store.execute_group([(cmd, actor) for cmd, actor, _ in live])
        except Exception as exc:  # the database failed: every command of the group failed
            for _, _, fut in live:
                fut.set_exception(exc)
            return
        self.groups += 1
        self.commands += len(live)
        for (_, _, fut), outcome in zip(live, outcomes, strict=True):
            if isinstance(outcome, DomainError):
                fut.set_exception(outcome)
            else:
                fut.set_result(outcome)
