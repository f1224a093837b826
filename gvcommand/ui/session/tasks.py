"""The console's one way to work off the GUI thread: a small pool for reads, the single
writer for commands, and one way back to the main thread.

Anki's ``QueryOp``/``CollectionOp`` and Picard's ``run_task``/``to_main`` are the models:
a widget never starts a thread of its own; it asks the runner to ``read`` (or ``write``)
a function and names what to do with the result, or with the error, on the main thread.
A result whose owner (a widget) was deleted meanwhile is dropped, never delivered into a
dead object.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from shiboken6 import Shiboken

from ...store.event_store import EventStore
from ...store.writer import CommandWriter

log = logging.getLogger(__name__)

T = TypeVar("T")
READERS = 2  # a console's reads are few and short; two keep one slow read from blocking all
WRITER_NAME = "gvcommand-console-writer"


class _ToMain(QObject):
    """Lives on the main thread; ``deliver`` emitted from any thread runs its closure there
    (a queued connection)."""

    deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.deliver.connect(self._run)

    def _run(self, call: Callable[[], None]) -> None:  # a bound slot: queued to its thread
        call()


class TaskRunner(QObject):
    """Reads on a pool, writes on the single writer, answers on the main thread."""

    def __init__(self, store: EventStore, parent: QObject | None = None, *,
                 readers: int = READERS) -> None:
        super().__init__(parent)
        self._store = store
        self._pool = ThreadPoolExecutor(readers, thread_name_prefix="gvcommand-read")
        self._writer: CommandWriter | None = None
        self._to_main = _ToMain(self)
        self._stopped = False
        self.started = 0  # reads and writes asked for (for tests and the log)

    @property
    def writer(self) -> CommandWriter:
        """The console's single writer thread (started when first needed)."""
        if self._writer is None:
            self._writer = CommandWriter(self._store, name=WRITER_NAME).start()
        return self._writer

    def on_writer(self, fn: Callable[[], T]) -> Future[T]:
        """``fn`` on the writer thread in its turn; once the runner has stopped, a future
        that failed (no writer thread is started again after the console closed)."""
        if self._stopped:
            future: Future[T] = Future()
            future.set_exception(RuntimeError("the console is closing"))
            return future
        return self.writer.call(fn)

    def read(self, fn: Callable[[], T], done: Callable[[T], None] | None = None,
             failed: Callable[[BaseException], None] | None = None, *,
             owner: QObject | None = None, what: str = "") -> Future[T]:
        """Run ``fn`` on the read pool; then ``done(result)`` or ``failed(error)`` on the main
        thread, unless ``owner`` was deleted meanwhile. An error nobody takes is logged."""
        self.started += 1
        future: Future[T]
        if self._stopped:
            future = Future()
            future.set_exception(RuntimeError("the console is closing"))
        else:
            future = self._pool.submit(_timed, fn, what or getattr(fn, "__name__", "read"))
        self.to_main(future, done, failed, owner=owner, what=what)
        return future

    def write(self, fn: Callable[[], T], done: Callable[[T], None] | None = None,
              failed: Callable[[BaseException], None] | None = None, *,
              owner: QObject | None = None, what: str = "") -> Future[T]:
        """Run ``fn`` on the writer thread, in its turn after every command given before it
        (a check-then-write no other write of this console comes between)."""
        self.started += 1
        future = self.on_writer(fn)
        self.to_main(future, done, failed, owner=owner, what=what)
        return future

    def to_main(self, future: Future[T], done: Callable[[T], None] | None,
                failed: Callable[[BaseException], None] | None = None, *,
                owner: QObject | None = None, what: str = "") -> None:
        """When ``future`` ends (on whatever thread), hand its outcome to the main thread."""
        if done is None and failed is None:
            return

        def deliver() -> None:
            if owner is not None and not Shiboken.isValid(owner):
                return  # its widget is gone: nobody to tell
            error = future.exception() if not future.cancelled() else None
            if future.cancelled():
                return
            if error is None:
                if done is not None:
                    done(future.result())
            elif failed is not None:
                failed(error)
            else:
                log.warning("%s failed: %s", what or "a background task", error)

        def finished(_f: Future[T]) -> None:
            with contextlib.suppress(RuntimeError):  # the runner was deleted at exit
                self._to_main.deliver.emit(deliver)

        future.add_done_callback(finished)

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what was asked (writes first: they are records), then stop; safe twice."""
        if self._stopped:
            return
        self._stopped = True
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.stop(timeout)
        self._pool.shutdown(wait=True, cancel_futures=True)


def _timed(fn: Callable[[], Any], what: str) -> Any:
    t0 = time.perf_counter()
    try:
        return fn()
    finally:
        seconds = time.perf_counter() - t0
        if seconds > 1.0:
            log.info("%s took %.1f s", what, seconds)
