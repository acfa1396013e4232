"""The API's calls, and `create_client()`: the client a script gets with no setup after `tessera auth login`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any, Literal

from .credentials import Credential, choose_credential
from .environment import read_client_environment
from .errors import TesseraApiError, UnknownTeamError
from .http import exchange
from .profiles import active_profile
from .store import TesseraHome

# Routes for a login answer a rejected access token with `invalid_token`; routes that also take keys answer it with
# `invalid_credentials`. Either way a login renews its token once (a key cannot: `renew()` says so).
_REJECTED_CREDENTIAL = ("invalid_token", "invalid_credentials")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


class TesseraClient:
    """Tessera's API with one credential, acting for `account` (sent as `X-Tessera-Account`; None: the credential's
    own).

    Answers are the API's JSON (dicts and lists, as in the API description at `/docs`). Every refusal raises
    `TesseraApiError`; an access token the API rejects is renewed once and the request sent again.
    """

    def __init__(self, host: str, credential: Credential, account: str | None = None) -> None:
        self.host = host
        self.credential = credential
        self.account = account

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> Any:
        """Any route of the API, for calls the methods below do not cover.

        `client.request("GET", f"/v1/teams/{team_id}/permissions")`
        """
        try:
            return self._send(method, path, query, body)
        except TesseraApiError as error:
            if error.status != 401 or error.code not in _REJECTED_CREDENTIAL or not self.credential.renew():
                raise
        return self._send(method, path, query, body)

    def principal(self) -> dict[str, Any]:
        """Who this credential is: the account acted for, the actor (member or key), and how it authenticated."""
        return self.request("GET", "/v1/principal")

    def me(self) -> dict[str, Any]:
        """The signed-in person (a login only: an API key is no person)."""
        return self.request("GET", "/v1/me")

    def accounts(self) -> list[dict[str, Any]]:
        """The accounts the signed-in person can act as: personal first, then teams."""
        return self.request("GET", "/v1/me/accounts")

    def teams(self) -> list[dict[str, Any]]:
        """The signed-in person's teams (their accounts but the personal one)."""
        return [account for account in self.accounts() if account["kind"] == "team"]

    def team(self, team_id: str | None = None) -> dict[str, Any]:
        """A team; by default the one this client acts for."""
        return self.request("GET", f"/v1/teams/{self._account_or_own(team_id)}")

    def members(self, team_id: str | None = None) -> list[dict[str, Any]]:
        """A team's members with their roles; by default those of the team this client acts for."""
        return self.request("GET", f"/v1/teams/{self._account_or_own(team_id)}/members")

    def keys(self, account_id: str | None = None) -> list[dict[str, Any]]:
        """An account's API keys, metadata only (Admin and Billing); by default the account this client acts for."""
        return self.request("GET", f"/v1/accounts/{self._account_or_own(account_id)}/keys")

    def usage(
        self,
        account_id: str | None = None,
        *,
        from_: str | date | None = None,
        to: str | date | None = None,
        interval: Literal["hour", "day"] | None = None,
        group_by: Literal["actor", "action"] | None = None,
    ) -> dict[str, Any]:
        """An account's requests in `[from_, to)` (default: the last 30 days), by actor or by action."""
        query = {
            name: _iso(value) if isinstance(value, date) else value
            for name, value in (("from", from_), ("to", to), ("interval", interval), ("groupBy", group_by))
            if value is not None
        }
        return self.request("GET", f"/v1/accounts/{self._account_or_own(account_id)}/usage", query=query)

    def authz_check(self, action: str, *, account: str | None = None, record: bool = False) -> dict[str, Any]:
        """Asks the decision point whether this client's own credential may do `action`.

        Always a decision (`{"allow": …, "reason"?, "message"?, "principal"?}`), never a refusal. `account` defaults
        to the account this client acts for; `record=True` counts the request in that account's usage.
        """
        body: dict[str, Any] = {"authorization": self.credential.authorization(), "action": action}
        if account or self.account:
            body["account"] = account or self.account
        if record:
            body["record"] = True
        # The credential to judge is in the body; the request itself carries none.
        return exchange(self.host, "POST", "/v1/authz/check", body=body)

    def account_id(self) -> str:
        """The account calls act for: the team chosen (`teams set`, or `team=`), else the credential's own."""
        return self.account or self.principal()["account"]["id"]

    def _account_or_own(self, account_id: str | None) -> str:
        return account_id or self.account_id()

    def _send(self, method: str, path: str, query: Mapping[str, str] | None, body: Any) -> Any:
        headers = {"authorization": self.credential.authorization()}
        if self.account:
            headers["x-tessera-account"] = self.account
        return exchange(self.host, method, path, query=query, body=body, headers=headers)


def create_client(
    *,
    profile: str | None = None,
    team: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: str | None = None,
) -> TesseraClient:
    """The client a script gets with no setup, resolved as the `tessera` CLI resolves its own.

    - the profile: `profile`, else `TESSERA_PROFILE`, else the one chosen with `tessera profile use`;
    - the host: `TESSERA_HOST`, else the profile's;
    - the credential: `TESSERA_KEY`, then the profile's key, then the login saved by `tessera auth login`, its access
      token refreshed when it expires (`TESSERA_FORCE_AUTH_BY_USER=1` skips both keys);
    - the account: `team` (id, name or "personal"), else, with a login, the team chosen with `tessera teams set`.

    `environ` replaces this process's environment, and `home` the folder of profiles and logins (over `TESSERA_HOME`),
    as the TypeScript client's `env` and `home` options do.
    """
    env = read_client_environment(environ)
    folder = TesseraHome(home or env.home)
    active = active_profile(env, folder, profile)
    credential = choose_credential(env, folder, active.name, active.profile, active.host)
    client = TesseraClient(active.host, credential)
    # A key belongs to one account already: the profile's team goes only with a login (an explicit `team` with both).
    chosen = team or (active.profile.team if credential.type == "bearer" else None)
    if chosen is None:
        return client
    account = chosen if _UUID.match(chosen) else _find_account(client, chosen)["id"]
    return TesseraClient(active.host, credential, account)


def _find_account(client: TesseraClient, reference: str) -> dict[str, Any]:
    """An account of the signed-in person by name (case-insensitive) or "personal"."""
    if client.credential.type == "key":
        raise UnknownTeamError("With an API key, name the team by its id: a key cannot list teams.")
    matches = [
        account
        for account in client.accounts()
        if (account["kind"] == "personal" if reference == "personal" else account["name"].lower() == reference.lower())
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UnknownTeamError(f'You have no team "{reference}": "tessera teams list" shows yours.')
    ids = ", ".join(account["id"] for account in matches)
    raise UnknownTeamError(f'Several teams are named "{reference}": use an id ({ids}).')


def _iso(value: date) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()
