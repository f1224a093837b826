"""Logging in at the console (the login dialog's door to the users' store): before a
session exists, the dialog checks a name and a password here."""

from ...store.auth import (
    LOCKOUT_S,
    AccountDisabled,
    AccountLocked,
    Session,
    WrongPassword,
    login,
)

__all__ = ["LOCKOUT_S", "AccountDisabled", "AccountLocked", "Session", "WrongPassword",
           "login"]
