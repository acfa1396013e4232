"""Tessera's API from Python, with the `tessera` CLI's login, profiles and active team.

After `tessera auth login` (and `tessera teams set <team>`), any script on the machine acts as you in that team::

    from tessera_client import create_client

    client = create_client()
    for member in client.members():
        print(member["email"], member["role"])
"""

from .client import TesseraClient, create_client
from .credentials import BearerSession, Credential, KeyCredential, choose_credential, login_from
from .environment import DEFAULT_HOST, DEFAULT_PROFILE, ClientEnvironment, read_client_environment
from .errors import (
    NotSignedInError,
    TesseraApiError,
    TesseraConnectionError,
    TesseraError,
    UnknownProfileError,
    UnknownTeamError,
)
from .profiles import ActiveProfile, active_profile
from .store import Profile, ProfilesFile, SavedLogin, TesseraHome

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PROFILE",
    "ActiveProfile",
    "BearerSession",
    "ClientEnvironment",
    "Credential",
    "KeyCredential",
    "NotSignedInError",
    "Profile",
    "ProfilesFile",
    "SavedLogin",
    "TesseraApiError",
    "TesseraClient",
    "TesseraConnectionError",
    "TesseraError",
    "TesseraHome",
    "UnknownProfileError",
    "UnknownTeamError",
    "active_profile",
    "choose_credential",
    "create_client",
    "login_from",
    "read_client_environment",
]
