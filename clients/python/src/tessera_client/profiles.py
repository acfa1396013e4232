"""The profile in use, chosen as the CLI chooses it."""

from __future__ import annotations

from dataclasses import dataclass

from .environment import ClientEnvironment
from .errors import UnknownProfileError
from .store import Profile, TesseraHome


@dataclass(frozen=True)
class ActiveProfile:
    name: str
    profile: Profile
    host: str
    """`TESSERA_HOST`, else the profile's host."""


def active_profile(env: ClientEnvironment, home: TesseraHome, override: str | None = None) -> ActiveProfile:
    """`override`, else `TESSERA_PROFILE`, else the profile chosen with `tessera profile use`."""
    stored = home.profiles()
    name = override or env.profile or stored.current
    profile = stored.profiles.get(name)
    if profile is None:
        raise UnknownProfileError(f'There is no profile "{name}" (profiles: {", ".join(stored.profiles)}).')
    return ActiveProfile(name=name, profile=profile, host=env.host or profile.host)
