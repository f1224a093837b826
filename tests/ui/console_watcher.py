"""A second console for tests: a real MainWindow (offscreen) on the database given, in its own
process. Every 20 ms it reads what its officer would see — the incident queue's rows and the
unit board's rows — and prints each new view as one JSON line on stdout ("ready" first,
once its change feed runs). It ends when stdin closes.

    python -m tests.ui.console_watcher URL
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(url: str) -> None:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from gvcommand.core.model import Actor, Role
    from gvcommand.store import open_store
    from gvcommand.ui.main_window import MainWindow
    from gvcommand.ui.session import ConsoleSession
    from gvcommand.ui.unit_board import CALL, INCIDENT, NOTE, STATUS

    app = QApplication([sys.argv[0]])
    store = open_store(url, upgrade=False)
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "b.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(store, Actor("minh", Role.SUPERVISOR, "console-B"),
                             settings=settings)
    session.wait_ready()
    window = MainWindow(session, owns_session=True)
    window.show()
    window.start()
    closed = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), closed.set()), daemon=True).start()
    last: dict[str, object] = {}

    def view() -> dict[str, object]:
        # the columns that do not tick with the clock (ages, time in status)
        model = window.incidents_dock.model
        columns = [c for c in range(model.columnCount()) if c != model.AGE]
        queue = [[str(model.index(r, col).data() or "") for col in columns]
                 for r in range(model.rowCount())]
        units = {call_sign: [item.text(col) for col in (CALL, STATUS, INCIDENT, NOTE)]
                 for call_sign, item in window.unit_board._items.items()}
        return {"queue": queue, "units": units}

    def poll() -> None:
        if closed.is_set():
            window.close()
            app.quit()
            return
        if not last and window.bridge.running:
            print(json.dumps({"ready": True}), flush=True)
            last["ready"] = True
        if last:
            now = view()
            if now != last.get("view"):
                last["view"] = now
                print(json.dumps(now, ensure_ascii=False), flush=True)

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(20)
    app.exec()
    store.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
