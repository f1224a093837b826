"""Camera credentials: kept in the operating system's keyring, or encrypted at rest where
there is none; never in the database (a camera record names its credentials by a reference),
never in a log line or an error message.

Where they live (:func:`open_credentials`):

- **the OS keyring** (Windows Credential Locker, macOS Keychain, Secret Service/KWallet on a
  Linux desktop) through the ``keyring`` library, when it has a backend that really stores
  secrets safely (priority ≥ 1: not the "fail", "null" or plain-text ones);
- otherwise **an encrypted file** in the platform data directory, with ``cryptography``'s
  Fernet (AES-128-CBC with HMAC-SHA256, authenticated: a wrong key or a tampered file is
  refused, not decrypted to rubbish). The key comes from ``$GVCOMMAND_CAMERA_KEY`` (a
  service's environment, e.g. a systemd credential), else from a key file beside the store
  created readable by its owner only (0600) and refused if others may read it.
  Why Fernet from ``cryptography`` rather than ``keyrings.cryptfile``: ``cryptography`` is the
  PyCA's maintained library that the rest of the Python world audits; the file format is
  ours and tiny (one token per reference), so there is nothing to gain from a second layer.

``$GVCOMMAND_CREDENTIALS`` = ``keyring`` or ``file`` forces one of them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import platformdirs

from ..core.cameras import check_credential_ref
from ..core.errors import ValidationError
from .urls import Credentials

log = logging.getLogger(__name__)

SERVICE = "gvcommand-camera"
KEY_ENV = "GVCOMMAND_CAMERA_KEY"
BACKEND_ENV = "GVCOMMAND_CREDENTIALS"
STORE_NAME = "camera-credentials.json"
KEY_NAME = "camera-credentials.key"
FORMAT = 1


class CredentialError(RuntimeError):
    """Credentials cannot be read or stored; the message says what to do (never a secret)."""


class CredentialStore(Protocol):
    @property
    def description(self) -> str:
        """Where the credentials are, for messages (never a secret)."""
        ...

    def get(self, ref: str) -> Credentials | None: ...
    def set(self, ref: str, credentials: Credentials) -> None: ...
    def delete(self, ref: str) -> bool: ...


def _ref(ref: str) -> str:
    try:
        checked = check_credential_ref(ref)
    except ValidationError as exc:
        raise CredentialError(str(exc)) from None
    if checked is None:
        raise CredentialError("a credential reference is required (e.g. cam/CS-001)")
    return checked


def _encode(credentials: Credentials) -> str:
    return json.dumps({"user": credentials.user, "password": credentials.password},
                      ensure_ascii=False)


def _decode(text: str, ref: str) -> Credentials:
    try:
        data = json.loads(text)
        return Credentials(str(data["user"]), str(data["password"]))
    except (ValueError, KeyError, TypeError):
        raise CredentialError(f"the stored credentials '{ref}' are not in gvcommand's format; "
                              "set them again") from None


# --- the OS keyring ----------------------------------------------------------------------------


def usable_keyring() -> Any | None:
    """The keyring backend if it stores secrets safely, else None."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is "no keyring", not a crash
        return None
    if isinstance(backend, fail.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    if float(getattr(backend, "priority", 0)) < 1:  # null, plain text (keyrings.alt)
        return None
    return backend


class KeyringStore:
    """Credentials as one keyring entry per reference (service ``gvcommand-camera``)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.description = f"the OS keyring ({type(backend).__module__}.{type(backend).__name__})"

    def get(self, ref: str) -> Credentials | None:
        ref = _ref(ref)
        try:
            text = self.backend.get_password(SERVICE, ref)
        except Exception as exc:
            raise CredentialError(f"the OS keyring did not answer for '{ref}': "
                                  f"{type(exc).__name__}") from None
        return None if text is None else _decode(text, ref)

    def set(self, ref: str, credentials: Credentials) -> None:
        ref = _ref(ref)
        try:
            self.backend.set_password(SERVICE, ref, _encode(credentials))
        except Exception as exc:
            raise CredentialError(f"the OS keyring refused to store '{ref}': "
                                  f"{type(exc).__name__}") from None

    def delete(self, ref: str) -> bool:
        ref = _ref(ref)
        try:
            self.backend.delete_password(SERVICE, ref)
        except Exception:  # keyring raises PasswordDeleteError when absent
            return False
        return True


# --- encrypted at rest -------------------------------------------------------------------------


def default_dir() -> Path:
    return Path(platformdirs.user_data_dir("gvcommand", appauthor=False))


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            if sys.platform != "win32":
                os.fchmod(fh.fileno(), 0o600)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass
class EncryptedFileStore:
    """Credentials encrypted with Fernet in one JSON file: ``{"format": 1, "entries":
    {ref: token}}``. The references are visible (they are in the database anyway), the user
    names and passwords are not."""

    path: Path
    key_path: Path
    key_env: str = KEY_ENV

    @property
    def description(self) -> str:
        key = f"${self.key_env}" if os.environ.get(self.key_env) else str(self.key_path)
        return f"the encrypted file {self.path} (key: {key})"

    def _fernet(self, *, create: bool) -> Any:
        from cryptography.fernet import Fernet

        env = os.environ.get(self.key_env)
        if env:
            key = env.strip().encode()
            source = f"${self.key_env}"
        elif self.key_path.exists():
            if sys.platform != "win32":
                mode = self.key_path.stat().st_mode
                if mode & (stat.S_IRWXG | stat.S_IRWXO):
                    raise CredentialError(
                        f"the key file {self.key_path} may be read by other users (mode "
                        f"{stat.S_IMODE(mode):o}): run chmod 600 on it")
            key = self.key_path.read_bytes().strip()
            source = str(self.key_path)
        elif create:
            key = Fernet.generate_key()
            _write_private(self.key_path, key + b"\n")
            log.info("created the camera credentials key %s (mode 600)", self.key_path)
            source = str(self.key_path)
        else:
            raise CredentialError(f"no key for the camera credentials: set ${self.key_env} or "
                                  f"restore {self.key_path}")
        try:
            return Fernet(key)
        except ValueError:
            raise CredentialError(f"the key in {source} is not a Fernet key (32 bytes, "
                                  "URL-safe base64)") from None

    def _entries(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError
            return {str(k): str(v) for k, v in data["entries"].items()}
        except (ValueError, KeyError, AttributeError):
            raise CredentialError(f"{self.path} is not a camera credentials file") from None

    def _save(self, entries: dict[str, str]) -> None:
        body = json.dumps({"format": FORMAT, "entries": dict(sorted(entries.items()))},
                          indent=1)
        _write_private(self.path, body.encode("utf-8") + b"\n")

    def get(self, ref: str) -> Credentials | None:
        from cryptography.fernet import InvalidToken

        ref = _ref(ref)
        token = self._entries().get(ref)
        if token is None:
            return None
        fernet = self._fernet(create=False)
        try:
            text = fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise CredentialError(
                f"the credentials '{ref}' in {self.path} cannot be decrypted with this key "
                f"(${self.key_env} or {self.key_path}): it is not the key they were stored "
                "with, or the file was altered") from None
        return _decode(text, ref)

    def set(self, ref: str, credentials: Credentials) -> None:
        ref = _ref(ref)
        entries = self._entries()
        fernet = self._fernet(create=True)
        entries[ref] = fernet.encrypt(_encode(credentials).encode("utf-8")).decode("ascii")
        self._save(entries)

    def delete(self, ref: str) -> bool:
        ref = _ref(ref)
        entries = self._entries()
        if entries.pop(ref, None) is None:
            return False
        self._save(entries)
        return True


def open_credentials(directory: Path | None = None, *,
                     backend: str | None = None) -> CredentialStore:
    """The credential store of this machine: the OS keyring where a safe one exists, else
    the encrypted file in ``directory`` (default: the platform data directory).

    ``backend`` (or ``$GVCOMMAND_CREDENTIALS``): ``keyring`` or ``file`` to force one.
    """
    choice = (backend or os.environ.get(BACKEND_ENV) or "auto").strip().lower()
    if choice not in ("auto", "keyring", "file"):
        raise CredentialError(f"{BACKEND_ENV}={choice!r}: expected keyring or file")
    if choice != "file":
        found = usable_keyring()
        if found is not None:
            return KeyringStore(found)
        if choice == "keyring":
            raise CredentialError("no usable OS keyring here (no Secret Service, KWallet, "
                                  "Keychain or Credential Locker); use the encrypted file "
                                  f"({BACKEND_ENV}=file)")
    base = directory or default_dir()
    return EncryptedFileStore(base / STORE_NAME, base / KEY_NAME)
