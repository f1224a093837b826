"""Credentials out of text: URL passwords, ``password=`` style pairs and HTTP
``Authorization`` headers become ``***``.

Plain Python, so that every layer may use the one redaction: the log handlers
(``gvcommand.logsetup``), the store's error messages (database URLs, driver errors) and the
video layer's camera addresses.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MASK", "redact"]

MASK: Final = "***"

# scheme://user:secret@host → scheme://user:***@host. The password may hold a raw "@"
# (greedy up to the last "@" of the authority) but not "/", which would already be the path.
_URL_PASSWORD = re.compile(
    r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/?#@'\"<>]*:)(?P<secret>[^\s/'\"<>]*)@"
)

# password=…, PGPASSWORD=…, db_password: '…', {'password': '…'}, ?pwd=…&, conninfo
# password='a b'. The key may carry a prefix; the value ends at whitespace, & ; , or a quote.
_KEY_VALUE = re.compile(
    r"""(?ix)
    (?P<head>
        \b[\w.\-]*(?:password|passwd|pwd)   # the key, e.g. password, db_password, PGPASSWORD
        ["']?\s*[=:]\s*                     # closing quote of a dict key, then = or :
    )
    (?P<secret>
        '(?:[^'\\]|\\.)*'                   # single-quoted (libpq conninfo, Python repr)
      | "(?:[^"\\]|\\.)*"                   # double-quoted (JSON)
      | [^\s&;,'"}\]]+                      # bare value
    )
    """
)

# Authorization: Basic dXNlcjpwdw== / Bearer eyJ… (also Proxy-Authorization, dict reprs).
_AUTHORIZATION = re.compile(
    r"""(?ix)
    (?P<head>
        \b(?:proxy-)?authorization["']?\s*[:=]\s*["']?\s*
        (?:(?:basic|bearer|digest|token|negotiate)\s+)?
    )
    (?P<secret>[^\s"',;}\]]+)
    """
)


def _mask_value(match: re.Match[str]) -> str:
    secret = match.group("secret")
    quote = secret[0] if secret[:1] in ("'", '"') else ""
    return f"{match.group('head')}{quote}{MASK}{quote}"


# a URL as text carries it: inside one, a user name that happens to be "password" followed by
# ":" is the user name, not a key; only its query's key=value pairs count
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>]*")


def _mask_pairs(text: str) -> str:
    out: list[str] = []
    at = 0
    for url in _URL.finditer(text):
        out.append(_KEY_VALUE.sub(_mask_value, text[at:url.start()]))
        head, sep, query = url.group().partition("?")
        out.append(head + sep + _KEY_VALUE.sub(_mask_query_value, query))
        at = url.end()
    out.append(_KEY_VALUE.sub(_mask_value, text[at:]))
    return "".join(out)


def _mask_query_value(match: re.Match[str]) -> str:
    return _mask_value(match) if "=" in match.group("head") else match.group()


def redact(text: str) -> str:
    """Return *text* with credentials replaced by ``***``."""
    if not text:
        return text
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}@", text)
    text = _AUTHORIZATION.sub(_mask_value, text)
    return _mask_pairs(text)
