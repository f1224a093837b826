"""Domain errors. Each carries a message an officer can act on."""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused; nothing was written."""

    code = "refused"


class ValidationError(DomainError):
    code = "invalid"


class NotFound(DomainError):
    code = "not-found"


class AlreadyExists(DomainError):
    code = "exists"


class PermissionDenied(DomainError):
    code = "permission"


class InvalidTransition(DomainError):
    code = "transition"

    def __init__(self, what: str, current: str, target: str, allowed: list[str]) -> None:
        self.what, self.current, self.target, self.allowed = what, current, target, allowed
        allowed_txt = ", ".join(allowed) if allowed else "nothing (final state)"
        super().__init__(
            f"{what}: cannot go from '{current}' to '{target}'; from '{current}' only "
            f"{allowed_txt} may follow"
        )


class VersionConflict(DomainError):
    """Someone else changed the subject since the caller last looked at it."""

    code = "conflict"

    def __init__(
        self, subject: str, expected: int, actual: int, last_actor: str | None = None
    ) -> None:
        self.subject, self.expected, self.actual, self.last_actor = (
            subject,
            expected,
            actual,
            last_actor,
        )
        who = f" by {last_actor}" if last_actor else ""
        super().__init__(
            f"{subject} was changed{who} after you loaded it (your version {expected}, "
            f"now {actual}); reload it and try again"
        )
