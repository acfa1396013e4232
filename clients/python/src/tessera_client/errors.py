"""The errors of the client, one class per cause, all under `TesseraError`."""

from __future__ import annotations

from typing import Any


class TesseraError(Exception):
    """Anything this client raises on purpose: catch it to handle every Tessera failure at once."""


class TesseraApiError(TesseraError):
    """What the API answered when it refused: its stable code, its message, and the request id to quote.

    `code` is one of the API's error codes (`forbidden`, `not_found`, `invalid_token`, …) or, from the sign-in
    endpoints, an OAuth code (`invalid_grant`, …). `details` lists each wrong field of a `validation_failed`.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: str | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.details = details

    def __str__(self) -> str:
        request = f", request {self.request_id}" if self.request_id else ""
        return f"{self.message} ({self.code}{request})"


class TesseraConnectionError(TesseraError):
    """The host could not be reached, or answered something that is not Tessera's API."""

    def __init__(self, host: str, message: str) -> None:
        super().__init__(message)
        self.host = host


class NotSignedInError(TesseraError):
    """No credential to send: no API key and no login saved by `tessera auth login` (or it was signed out)."""


class UnknownProfileError(TesseraError):
    """`TESSERA_PROFILE` (or the profile asked for) names no profile of `config.json`."""


class UnknownTeamError(TesseraError):
    """The team asked for is not one of the signed-in person's accounts, or its name is ambiguous."""
