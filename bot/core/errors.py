"""The project's exceptions: user mistakes are shown to the user, faults are logged."""

from __future__ import annotations


class NorthstarError(Exception):
    """Base of every exception Northstar raises on purpose."""


class UserInputError(NorthstarError):
    """The person asked for something malformed or impossible; ``message`` tells them why.

    The message is shown ephemerally as it is, so it says what was wrong and what to type.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(UserInputError):
    """The person may not do this (for example, a non-admin setting the vision)."""


class SlackFault(NorthstarError):
    """Slack refused or failed a call that Northstar needed."""


class FormErrors(NorthstarError):
    """A modal submission with mistakes: ``errors`` maps block ids to what is wrong there.

    Handlers answer it with ``ack(response_action="errors", errors=...)`` so the modal stays
    open with the person's input.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors
