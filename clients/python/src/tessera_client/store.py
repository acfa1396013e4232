"""The CLI's folder, read and written exactly as `tessera` does it (libs/client/src/store.ts).

`config.json` holds the profiles, `auth.json` the logins by profile. Both are written whole (a temporary file renamed
over the old one) with mode 0600 in a 0700 folder, so a crash never leaves half a file and other users of the machine
cannot read keys or tokens.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .environment import DEFAULT_HOST, DEFAULT_PROFILE
from .errors import TesseraError
from .lock_file import hold_lock_file

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


@dataclass(frozen=True)
class Profile:
    host: str
    key: str | None = None
    """An API key that this profile uses instead of a saved login."""
    team: str | None = None
    """The account calls act for, chosen with `tessera teams set` (absent: the one picked at login)."""


@dataclass(frozen=True)
class ProfilesFile:
    current: str
    profiles: dict[str, Profile]


@dataclass(frozen=True)
class SavedLogin:
    """A login saved by the device flow: secrets, so only in `auth.json`."""

    host: str
    access_token: str
    refresh_token: str
    expires_at: str
    """When the access token expires, as an ISO 8601 instant (`2026-12-08T10:00:00.000Z`)."""

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> SavedLogin:
        return cls(value["host"], value["accessToken"], value["refreshToken"], value["expiresAt"])

    def to_json(self) -> dict[str, str]:
        return {
            "host": self.host,
            "accessToken": self.access_token,
            "refreshToken": self.refresh_token,
            "expiresAt": self.expires_at,
        }


class TesseraHome:
    """`~/.tessera`, or `TESSERA_HOME`."""

    def __init__(self, directory: str) -> None:
        self.dir = directory

    @property
    def auth_file(self) -> str:
        return os.path.join(self.dir, "auth.json")

    @property
    def config_file(self) -> str:
        return os.path.join(self.dir, "config.json")

    def profiles(self) -> ProfilesFile:
        stored = self._read(self.config_file) or {}
        profiles = {DEFAULT_PROFILE: Profile(host=DEFAULT_HOST)}
        for name, fields in (stored.get("profiles") or {}).items():
            profiles[name] = Profile(
                host=fields.get("host", DEFAULT_HOST), key=fields.get("key"), team=fields.get("team")
            )
        return ProfilesFile(current=stored.get("current") or DEFAULT_PROFILE, profiles=profiles)

    def login(self, profile: str) -> SavedLogin | None:
        saved = (self._read(self.auth_file) or {}).get(profile)
        return SavedLogin.from_json(saved) if saved else None

    def save_login(self, profile: str, login: SavedLogin | None) -> None:
        """Saves (or, with None, forgets) one profile's login, keeping the other profiles' logins as they are."""
        logins = self._read(self.auth_file) or {}
        if login:
            logins[profile] = login.to_json()
        else:
            logins.pop(profile, None)
        self._write(self.auth_file, logins)

    @contextmanager
    def auth_lock(self) -> Iterator[None]:
        """Holds `auth.json.lock` (the CLI's lock, taken the same way) for the duration of the `with` block.

        Refresh tokens rotate on every use and presenting a used one again revokes the whole session: two processes,
        Python or CLI, must never refresh with the same token.
        """
        os.makedirs(self.dir, mode=PRIVATE_DIR, exist_ok=True)
        with hold_lock_file(f"{self.auth_file}.lock"):
            yield

    def _read(self, file: str) -> dict[str, Any] | None:
        try:
            with open(file, encoding="utf-8") as stream:
                text = stream.read()
        except FileNotFoundError:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise TesseraError(f"{file} is not valid JSON: fix it or delete it.") from None

    def _write(self, file: str, value: Any) -> None:
        os.makedirs(self.dir, mode=PRIVATE_DIR, exist_ok=True)
        temporary = f"{file}.{os.getpid()}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
        os.replace(temporary, file)

