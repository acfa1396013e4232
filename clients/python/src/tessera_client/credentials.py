"""The credential order of the platform's SDKs, and saved logins whose access tokens refresh themselves."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Literal, Protocol

from .environment import ClientEnvironment
from .errors import NotSignedInError, TesseraApiError
from .http import post
from .lock_file import REFRESH_TIMEOUT_SECONDS
from .store import Profile, SavedLogin, TesseraHome

EXPIRY_MARGIN = timedelta(seconds=30)
"""Refresh a little before expiry, so a token does not expire between the check and the request."""

CredentialSource = Literal["TESSERA_KEY", "profile", "login"]


class Credential(Protocol):
    """What requests are authenticated with, where it came from, and a sentence saying why it was chosen."""

    @property
    def type(self) -> Literal["key", "bearer"]: ...

    @property
    def source(self) -> CredentialSource: ...

    @property
    def why(self) -> str:
        """A sentence saying why this credential was chosen."""
        ...

    def authorization(self) -> str:
        """The `Authorization` header value."""
        ...

    def renew(self) -> bool:
        """After a 401 `invalid_token`: gets a fresh token if it can; False if retrying would not help."""
        ...


class KeyCredential:
    type: Literal["key"] = "key"

    def __init__(self, key: str, source: CredentialSource, why: str) -> None:
        self._key = key
        self.source = source
        self.why = why

    def authorization(self) -> str:
        return f"Key {self._key}"

    def renew(self) -> bool:
        return False

    def __repr__(self) -> str:
        # Never the key itself: a repr ends up in logs and tracebacks.
        return f"KeyCredential(source={self.source!r})"


def choose_credential(
    env: ClientEnvironment, home: TesseraHome, profile_name: str, profile: Profile, host: str
) -> Credential:
    """`TESSERA_KEY`, then the profile's key, then the login saved by `tessera auth login` (for this host).

    `TESSERA_FORCE_AUTH_BY_USER=1` skips both keys.
    """
    if not env.force_auth_by_user:
        if env.key:
            return KeyCredential(env.key, "TESSERA_KEY", "TESSERA_KEY is set in the environment")
        if profile.key:
            return KeyCredential(profile.key, "profile", f'profile "{profile_name}" has an API key')
    login = home.login(profile_name)
    if login and login.host == host:
        why = (
            "TESSERA_FORCE_AUTH_BY_USER is set, so the saved login is used"
            if env.force_auth_by_user
            else f'you logged in with "tessera auth login" (profile "{profile_name}")'
        )
        return BearerSession(home, profile_name, login, why)
    raise NotSignedInError(
        f'TESSERA_FORCE_AUTH_BY_USER is set but profile "{profile_name}" has no login for {host}: '
        'run "tessera auth login".'
        if env.force_auth_by_user
        else f'Not logged in to {host}: run "tessera auth login", or set TESSERA_KEY.'
    )


class BearerSession:
    """A saved login: the access token is refreshed (and the rotated refresh token saved) when it expires."""

    type: Literal["bearer"] = "bearer"
    source: CredentialSource = "login"

    def __init__(self, home: TesseraHome, profile_name: str, login: SavedLogin, why: str) -> None:
        self._home = home
        self._profile_name = profile_name
        self._login = login
        self.why = why

    def authorization(self) -> str:
        if _expires_soon(self._login.expires_at):
            self._refresh()
        return f"Bearer {self._login.access_token}"

    def renew(self) -> bool:
        self._refresh()
        return True

    def __repr__(self) -> str:
        return f"BearerSession(profile={self._profile_name!r}, host={self._login.host!r})"

    def _refresh(self) -> None:
        used = self._login.refresh_token
        host = self._login.host
        with self._home.auth_lock():
            # Another process (the CLI, another script) may have refreshed while this one waited: use its tokens.
            saved = self._home.login(self._profile_name)
            if saved and saved.refresh_token != used and saved.host == host:
                self._login = saved
                return
            try:
                # Bounded well below the lock's stale age, so no other process takes the lock over meanwhile.
                grant = post(
                    host,
                    "/auth/token",
                    {"grant_type": "refresh_token", "refresh_token": used},
                    timeout=REFRESH_TIMEOUT_SECONDS,
                )
            except TesseraApiError as error:
                if error.code == "invalid_grant":
                    raise NotSignedInError(
                        'Your login has expired or was signed out: run "tessera auth login" again.'
                    ) from None
                raise
            renewed = login_from(host, grant)
            self._home.save_login(self._profile_name, renewed)
            self._login = renewed


def login_from(host: str, grant: dict[str, Any]) -> SavedLogin:
    """The login to save from a token grant (`access_token`, `refresh_token`, `expires_in`)."""
    expires_at = datetime.now(timezone.utc) + timedelta(seconds=grant["expires_in"])
    return SavedLogin(
        host=host,
        access_token=grant["access_token"],
        refresh_token=grant["refresh_token"],
        expires_at=expires_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    )


def _expires_soon(expires_at: str) -> bool:
    try:
        expiry = datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
    except ValueError:
        return True  # An unreadable expiry is treated as past: refreshing is safe, a dead token is not.
    if expiry.tzinfo is None:
        expiry = expiry.replace(tzinfo=timezone.utc)
    return expiry - EXPIRY_MARGIN <= datetime.now(timezone.utc)
