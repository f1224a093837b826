"""Camera credentials: in the OS keyring where one is usable, else encrypted at rest; the
stored bytes, the logs and the error messages never hold the password."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from cryptography.fernet import Fernet
from keyring.backend import KeyringBackend

from gvcommand.video import credentials as cr
from gvcommand.video.urls import Credentials

PASSWORD = "Gv@p:2026/#Tổ363%"
USER = "admin-cs001"


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cr.KEY_ENV, raising=False)
    monkeypatch.delenv(cr.BACKEND_ENV, raising=False)


def _file_store(tmp_path: Path) -> cr.EncryptedFileStore:
    store = cr.open_credentials(tmp_path, backend="file")
    assert isinstance(store, cr.EncryptedFileStore)
    return store


def test_encrypted_file_round_trip_and_no_secret_in_the_bytes(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = _file_store(tmp_path)
    store.set("cam/CS-001", Credentials(USER, PASSWORD))
    store.set("cam/CS-002", Credentials("viewer", "khác"))
    assert store.get("cam/CS-001") == Credentials(USER, PASSWORD)
    assert store.get("cam/none") is None
    raw = store.path.read_bytes()
    for secret in (PASSWORD, USER, "khác"):
        assert secret.encode() not in raw
        assert secret.encode("unicode_escape") not in raw
        assert secret not in caplog.text
    assert b"cam/CS-001" in raw  # the references are not secret (the database has them)
    if os.name == "posix":
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(store.key_path.stat().st_mode) == 0o600
    assert store.delete("cam/CS-002") and not store.delete("cam/CS-002")
    assert store.get("cam/CS-002") is None
    # another process (a new store object) reads the same file with the same key file
    assert cr.open_credentials(tmp_path, backend="file").get("cam/CS-001") == Credentials(
        USER, PASSWORD)


def test_wrong_key_is_a_clear_error_without_the_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv(cr.KEY_ENV, Fernet.generate_key().decode())
    store = _file_store(tmp_path)
    store.set("cam/CS-001", Credentials(USER, PASSWORD))
    assert not store.key_path.exists()  # the environment's key: no key file written
    monkeypatch.setenv(cr.KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(cr.CredentialError, match="cannot be decrypted with this key") as info:
        store.get("cam/CS-001")
    assert PASSWORD not in str(info.value) and USER not in str(info.value)
    monkeypatch.setenv(cr.KEY_ENV, "not-a-key")
    with pytest.raises(cr.CredentialError, match="not a Fernet key"):
        store.get("cam/CS-001")
    monkeypatch.delenv(cr.KEY_ENV)
    with pytest.raises(cr.CredentialError, match="no key for the camera credentials"):
        store.get("cam/CS-001")
    assert PASSWORD not in caplog.text


def test_altered_file_is_refused(tmp_path: Path) -> None:
    store = _file_store(tmp_path)
    store.set("cam/CS-001", Credentials(USER, PASSWORD))
    text = store.path.read_text()
    token = text.split('"cam/CS-001": "')[1].split('"')[0]
    store.path.write_text(text.replace(token, token[:-6] + "AAAAAA"))
    with pytest.raises(cr.CredentialError, match="altered"):
        store.get("cam/CS-001")
    store.path.write_text("[1, 2]")
    with pytest.raises(cr.CredentialError, match="not a camera credentials file"):
        store.get("cam/CS-001")


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_key_file_others_may_read_is_refused(tmp_path: Path) -> None:
    store = _file_store(tmp_path)
    store.set("cam/CS-001", Credentials(USER, PASSWORD))
    store.key_path.chmod(0o644)
    with pytest.raises(cr.CredentialError, match="chmod 600"):
        store.get("cam/CS-001")


def test_references_are_key_names_not_secrets(tmp_path: Path) -> None:
    store = _file_store(tmp_path)
    with pytest.raises(cr.CredentialError, match="key name"):
        store.set("admin:pass word", Credentials(USER, PASSWORD))
    with pytest.raises(cr.CredentialError, match="required"):
        store.get(" ")


class _MemoryKeyring(KeyringBackend):
    """A real keyring backend class (as a desktop's Secret Service would be), in memory."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.items[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[_MemoryKeyring]:
    before = keyring.get_keyring()
    backend = _MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


def test_the_os_keyring_is_preferred_where_usable(tmp_path: Path,
                                                  memory_keyring: _MemoryKeyring) -> None:
    store = cr.open_credentials(tmp_path)
    assert isinstance(store, cr.KeyringStore)
    store.set("cam/CS-001", Credentials(USER, PASSWORD))
    assert store.get("cam/CS-001") == Credentials(USER, PASSWORD)
    assert (cr.SERVICE, "cam/CS-001") in memory_keyring.items
    assert not (tmp_path / cr.STORE_NAME).exists()  # nothing written to disk by us
    assert store.delete("cam/CS-001") and not store.delete("cam/CS-001")


def test_no_usable_keyring_falls_back_to_the_file(tmp_path: Path) -> None:
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert cr.usable_keyring() is None
        assert isinstance(cr.open_credentials(tmp_path), cr.EncryptedFileStore)
        with pytest.raises(cr.CredentialError, match="no usable OS keyring"):
            cr.open_credentials(tmp_path, backend="keyring")
    finally:
        keyring.set_keyring(before)
    with pytest.raises(cr.CredentialError, match="expected keyring or file"):
        cr.open_credentials(tmp_path, backend="vault")
