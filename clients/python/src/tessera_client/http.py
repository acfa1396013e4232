"""One exchange with the API over urllib: JSON in and out, redirects not followed, refusals turned into errors."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from .errors import TesseraApiError, TesseraConnectionError

REQUEST_TIMEOUT_SECONDS = 30.0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to report, not to follow: following one could carry the credential elsewhere."""

    def redirect_request(self, *_: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects())


def exchange(
    host: str,
    method: str,
    path: str,
    *,
    query: Mapping[str, str] | None = None,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT_SECONDS,
) -> Any:
    """Sends one request to `host` and answers its JSON reply (None for an empty one).

    A refusal raises `TesseraApiError`; a host that cannot be reached, or that answers without Tessera's error shape,
    raises `TesseraConnectionError`.
    """
    url = host.rstrip("/") + path
    if query:
        url = f"{url}?{urllib.parse.urlencode(query)}"
    request = urllib.request.Request(url, method=method, headers={"accept": "application/json", **(headers or {})})
    if body is not None:
        request.data = json.dumps(body).encode("utf-8")
        request.add_header("content-type", "application/json")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return _parse(response.read())
    except urllib.error.HTTPError as error:
        raw = error.read()
        error.close()
        raise refusal(host, error.code, error.headers.get("x-request-id"), raw) from None
    except OSError as error:  # urllib's URLError, refused connections and timeouts alike
        reason = getattr(error, "reason", None) or error
        raise TesseraConnectionError(host, f"Cannot reach Tessera at {host} ({reason}).") from None


def post(host: str, path: str, body: Mapping[str, Any], timeout: float = REQUEST_TIMEOUT_SECONDS) -> Any:
    """A JSON form to one of the sign-in endpoints (token refresh), called before there is a credential to send."""
    return exchange(host, "POST", path, body=dict(body), timeout=timeout)


def refusal(host: str, status: int, request_id: str | None, raw: bytes) -> Exception:
    """The refusal in both error shapes of the API.

    `{"error": {"code", "message", "details"?}}`, and OAuth's `{"error", "error_description"}` from the sign-in
    endpoints.
    """
    payload = _parse(raw)
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        return TesseraApiError(
            status, str(error.get("code")), str(error.get("message")), request_id, error.get("details")
        )
    if isinstance(error, str):
        return TesseraApiError(status, error, payload.get("error_description") or error, request_id)
    return TesseraConnectionError(
        host, f"{host} answered HTTP {status} without a Tessera error: is this Tessera's address?"
    )


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
