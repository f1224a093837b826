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
from concurrent.futures import Future

from ..core.commands import Command
from ..core.errors import DomainError
from ..core.model import Actor
from .event_store import CommandResult, EventStore

log = logging.getLogger(__name__)

_STOP = object()


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

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what was submitted, then stop."""
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
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
