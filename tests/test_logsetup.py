"""gvcommand.logsetup: context on every line, credentials never written, rotation."""

from __future__ import annotations

import logging
import logging.handlers
import pathlib
import threading
from collections.abc import Iterator

import platformdirs
import pytest

from gvcommand import logsetup
from gvcommand.logsetup import configure_logging, redact, set_log_user

SECRET = "S3cr3t-pw"


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    """Leave the root logger as pytest set it up, whatever a test configured."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    set_log_user(None)


def _read(log_file: pathlib.Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_file.read_text(encoding="utf-8")


def test_line_carries_console_and_user(tmp_path: pathlib.Path) -> None:
    log_file = configure_logging("C1", log_dir=tmp_path, stderr=False)
    assert log_file == tmp_path / "gvcommand.log"

    logging.getLogger("gvcommand.store").info("before login")
    set_log_user("demo")
    logging.getLogger("gvcommand.store").warning("after login")
    set_log_user("supervisor1")
    logging.getLogger("gvcommand.ui").info("user switched")
    set_log_user(None)
    logging.getLogger("gvcommand.ui").info("logged out")

    lines = _read(log_file).splitlines()
    assert len(lines) == 4
    assert lines[0].endswith("INFO [console=C1 user=-] gvcommand.store: before login")
    assert lines[1].endswith("WARNING [console=C1 user=demo] gvcommand.store: after login")
    assert lines[2].endswith("INFO [console=C1 user=supervisor1] gvcommand.ui: user switched")
    assert lines[3].endswith("INFO [console=C1 user=-] gvcommand.ui: logged out")
    # 2026-11-28 18:00:00,123 INFO …
    assert lines[0][4] == "-" and lines[0][19] == "," and lines[0][23] == " "


def test_user_is_shared_across_threads(tmp_path: pathlib.Path) -> None:
    log_file = configure_logging("C7", log_dir=tmp_path, stderr=False)
    set_log_user("trực ban")  # whitespace would split the field: it becomes "_"
    worker = threading.Thread(target=lambda: logging.getLogger("gvcommand.db").info("worker"))
    worker.start()
    worker.join()
    assert "[console=C7 user=trực_ban] gvcommand.db: worker" in _read(log_file)


def test_level_filters_and_bad_level_is_refused(tmp_path: pathlib.Path) -> None:
    log_file = configure_logging("C1", level="warning", log_dir=tmp_path, stderr=False)
    logging.getLogger("x").info("hidden")
    logging.getLogger("x").error("shown")
    text = _read(log_file)
    assert "hidden" not in text and "shown" in text
    with pytest.raises(ValueError):
        configure_logging("C1", level="LOUD", log_dir=tmp_path, stderr=False)


def test_passwords_never_reach_file_or_stderr(
    tmp_path: pathlib.Path, capfd: pytest.CaptureFixture[str]
) -> None:
    log_file = configure_logging("C2", log_dir=tmp_path, stderr=True)
    set_log_user("demo")
    log = logging.getLogger("gvcommand.store")

    log.info("connecting to %s", f"postgresql+psycopg://gv:{SECRET}@db1:5432,db2:5432/gv")
    log.info("conninfo host=db1 port=5432 password=%s dbname=gv", SECRET)
    log.info("conninfo host=db1 password='%s with space' dbname=gv", SECRET)
    log.info("camera url http://cam.local/snap.cgi?user=admin&pwd=%s&ch=1", SECRET)
    log.info("settings %s", {"passwd": SECRET, "db_password": SECRET, "host": "db1"})
    log.info("request headers Authorization: Basic %s", SECRET)
    log.info("request headers %s", {"Authorization": f"Bearer {SECRET}"})
    try:
        raise ConnectionError(f"cannot reach rtsp://admin:{SECRET}@10.0.0.5:554/ch1 (timeout)")
    except ConnectionError:
        log.exception("camera stream failed")
    try:
        raise RuntimeError(f"psycopg said: password={SECRET} rejected for user gv")
    except RuntimeError:
        log.exception("login failed")

    file_text = _read(log_file)
    captured = capfd.readouterr()
    for text in (file_text, captured.err):
        assert SECRET not in text
        # …while the rest of each line survives.
        assert "[console=C2 user=demo] gvcommand.store: connecting to" in text
        assert "postgresql+psycopg://gv:***@db1:5432,db2:5432/gv" in text
        assert "conninfo host=db1 port=5432 password=*** dbname=gv" in text
        assert "conninfo host=db1 password='***' dbname=gv" in text
        assert "snap.cgi?user=admin&pwd=***&ch=1" in text
        assert "'passwd': '***', 'db_password': '***', 'host': 'db1'" in text
        assert "Authorization: Basic ***" in text
        assert "'Authorization': 'Bearer ***'" in text
        assert "camera stream failed" in text
        assert "Traceback (most recent call last)" in text
        assert "ConnectionError: cannot reach rtsp://admin:***@10.0.0.5:554/ch1 (timeout)" in text
        assert "RuntimeError: psycopg said: password=*** rejected for user gv" in text
    assert captured.out == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sqlite:///home/op/gv.sqlite", "sqlite:///home/op/gv.sqlite"),
        ("postgresql+psycopg://gv@db/gv", "postgresql+psycopg://gv@db/gv"),
        ("redis://:tok@h:6379/0", "redis://:***@h:6379/0"),
        ("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db"),
        ("http://host:8080/path@x", "http://host:8080/path@x"),
        ("PGPASSWORD=abc psql", "PGPASSWORD=*** psql"),
        ('{"password": "a\\"b", "user": "x"}', '{"password": "***", "user": "x"}'),
        ("?a=1&password=x&b=2", "?a=1&password=***&b=2"),
        ("proxy-authorization: Bearer abc.def", "proxy-authorization: Bearer ***"),
        ("no secrets here", "no secrets here"),
        # a user named like a key is a user name inside a URL (hypothesis found "PASSWORD")
        ("rtsp://PASSWORD:0@10.1.2.3:554/Streaming/Channels/101",
         "rtsp://PASSWORD:***@10.1.2.3:554/Streaming/Channels/101"),
        ("rtsp://db_password:x@h/a password: y", "rtsp://db_password:***@h/a password: ***"),
        ("http://cam/snap.cgi?user=u&password=x&ch=1 pwd=z",
         "http://cam/snap.cgi?user=u&password=***&ch=1 pwd=***"),
    ],
)
def test_redact(raw: str, expected: str) -> None:
    assert redact(raw) == expected


def test_rotation(tmp_path: pathlib.Path) -> None:
    log_file = configure_logging(
        "C3", log_dir=tmp_path, stderr=False, max_bytes=2_000, backup_count=2
    )
    log = logging.getLogger("gvcommand.test")
    for i in range(100):
        log.info("line %03d %s", i, "x" * 60)
    _read(log_file)
    assert (tmp_path / "gvcommand.log.1").exists()
    assert (tmp_path / "gvcommand.log.2").exists()
    assert not (tmp_path / "gvcommand.log.3").exists()  # backup_count honoured
    assert log_file.stat().st_size <= 2_000
    assert "line 099" in log_file.read_text(encoding="utf-8")


def test_default_size_is_five_files_of_five_megabytes(tmp_path: pathlib.Path) -> None:
    configure_logging("C1", log_dir=tmp_path, stderr=False)
    (handler,) = [
        h for h in logging.getLogger().handlers if getattr(h, "_gvcommand_logsetup", False)
    ]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert handler.maxBytes == 5 * 1024 * 1024
    assert handler.backupCount == 5


def test_default_directory_is_platform_log_dir(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logsetup, "default_log_dir", lambda: tmp_path / "platform")
    log_file = configure_logging("C1", stderr=False)
    assert log_file == tmp_path / "platform" / "gvcommand.log"
    monkeypatch.undo()
    assert logsetup.default_log_dir() == pathlib.Path(
        platformdirs.user_log_dir("gvcommand", appauthor=False)
    )


def test_configure_twice_does_not_duplicate(
    tmp_path: pathlib.Path, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging("C4", log_dir=tmp_path, stderr=True)
    log_file = configure_logging("C5", log_dir=tmp_path, stderr=True)
    logging.getLogger("gvcommand").info("once please")
    assert _read(log_file).count("once please") == 1
    err = capfd.readouterr().err
    assert err.count("once please") == 1
    assert "[console=C5 user=-]" in err  # the second call wins


def test_foreign_handlers_are_kept(tmp_path: pathlib.Path) -> None:
    foreign = logging.NullHandler()
    logging.getLogger().addHandler(foreign)
    configure_logging("C1", log_dir=tmp_path, stderr=False)
    configure_logging("C1", log_dir=tmp_path, stderr=False)
    assert foreign in logging.getLogger().handlers
