"""What the client takes from the environment: the same variables, with the same meaning, as the `tessera` CLI."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_HOST = "http://localhost:3000"
DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class ClientEnvironment:
    key: str | None
    """`TESSERA_KEY`: an API key, used before a saved login."""
    force_auth_by_user: bool
    """`TESSERA_FORCE_AUTH_BY_USER=1`: use the saved login even when a key is set."""
    home: str
    """`TESSERA_HOME`: where profiles and saved logins live (default `~/.tessera`)."""
    host: str | None
    """`TESSERA_HOST`: the API's address, over the profile's."""
    profile: str | None
    """`TESSERA_PROFILE`: the profile to use, over the one chosen with `tessera profile use`."""


def read_client_environment(environ: Mapping[str, str] | None = None) -> ClientEnvironment:
    """Reads `environ` (default: this process's environment); blank values count as absent."""
    env = os.environ if environ is None else environ

    def non_empty(name: str) -> str | None:
        value = (env.get(name) or "").strip()
        return value or None

    home = non_empty("TESSERA_HOME")
    if home is None:
        # `~` from this environment's HOME, as Node's os.homedir() does for the CLI.
        user_home = non_empty("HOME") or os.path.expanduser("~")
        home = os.path.join(user_home, ".tessera")
    return ClientEnvironment(
        key=non_empty("TESSERA_KEY"),
        force_auth_by_user=(env.get("TESSERA_FORCE_AUTH_BY_USER") or "").lower() in ("1", "true", "yes"),
        home=home,
        host=non_empty("TESSERA_HOST"),
        profile=non_empty("TESSERA_PROFILE"),
    )
