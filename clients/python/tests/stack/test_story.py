"""The seed's story: `tessera auth login` and `tessera teams set` in the CLI, then any Python script acts as the
person logged in, in that team, with no setup. Everything here talks to the real stack (see conftest.py)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from tessera_client import (
    TesseraApiError,
    TesseraHome,
    UnknownProfileError,
    UnknownTeamError,
    create_client,
    read_client_environment,
)

SOURCES = os.path.join(os.path.dirname(__file__), "..", "..", "src")

# What a user's script looks like: nothing but the import and the call.
SCRIPT = """
import json
from tessera_client import create_client

client = create_client()
print(json.dumps({"principal": client.principal(), "members": client.members()}))
"""


def run_script() -> subprocess.Popen[str]:
    """The script in a Python process of its own, with the environment the CLI has (HOME, TESSERA_HOST)."""
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        env={**os.environ, "PYTHONPATH": SOURCES},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(stack, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*stack.cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=60)
    return process.returncode, stdout, stderr


def home() -> TesseraHome:
    return TesseraHome(read_client_environment().home)


def change_saved_login(**changes: str) -> str:
    """Changes fields of the saved login in auth.json, as a test; answers the refresh token saved before."""
    with open(home().auth_file) as stream:
        logins = json.load(stream)
    before = logins["default"]["refreshToken"]
    logins["default"].update(changes)
    with open(home().auth_file, "w") as stream:
        json.dump(logins, stream)
    return before


def expire_access_token() -> str:
    return change_saved_login(expiresAt=(datetime.now(timezone.utc) - timedelta(seconds=1)).isoformat())


def test_a_script_in_another_process_acts_as_the_cli_login_in_the_team_set(stack):
    code, stdout, stderr = finished(run_script())
    assert code == 0, stderr
    answer = json.loads(stdout)
    assert answer["principal"]["account"]["id"] == stack.team
    assert answer["principal"]["actor"]["type"] == "member"
    assert answer["principal"]["via"] == "bearer"
    assert sorted(member["email"] for member in answer["members"]) == sorted([stack.email, stack.member_email])


def test_the_read_calls_act_in_the_team_set(stack):
    client = create_client()
    assert (client.credential.type, client.credential.source, client.account) == ("bearer", "login", stack.team)
    assert client.me()["email"] == stack.email
    assert [account["kind"] for account in client.accounts()][0] == "personal"
    assert sorted(team["name"] for team in client.teams()) == ["Platform", "Research"]
    assert client.team()["id"] == stack.team
    assert client.keys() == []
    assert [key["name"] for key in client.keys(stack.login_team)] == ["python"]
    usage = client.usage(group_by="action", interval="day")
    assert (usage["accountId"], usage["groupBy"], usage["interval"]) == (stack.team, "action", "day")


def test_authz_check_judges_the_login_in_the_team_set(stack):
    decision = create_client().authz_check("apps.deploy")
    assert decision["allow"] is True
    assert decision["principal"]["account"]["id"] == stack.team
    assert decision["principal"]["actor"]["role"] == "admin"


def test_tessera_key_comes_before_the_login_and_never_carries_the_team(stack):
    client = create_client(environ={**os.environ, "TESSERA_KEY": stack.key})
    assert client.credential.source == "TESSERA_KEY"
    # The profile's team (Platform) is not the key's account: sending it would have been refused as not_a_member.
    principal = client.principal()
    assert principal["account"]["id"] == stack.login_team
    assert principal["actor"]["type"] == "key"
    assert client.authz_check("models.call")["allow"] is True
    denied = client.authz_check("apps.deploy")
    assert (denied["allow"], denied["reason"]) == (False, "scope_insufficient")

    forced = create_client(environ={**os.environ, "TESSERA_KEY": stack.key, "TESSERA_FORCE_AUTH_BY_USER": "1"})
    assert forced.credential.type == "bearer"
    assert forced.principal()["account"]["id"] == stack.team


def test_refusals_carry_status_code_message_and_request_id(stack):
    with pytest.raises(TesseraApiError) as refused:
        create_client(environ={**os.environ, "TESSERA_KEY": stack.key}).keys()
    error = refused.value
    assert (error.status, error.code) == (403, "forbidden")
    assert error.message.startswith("API keys cannot do this")
    assert error.request_id

    with pytest.raises(TesseraApiError) as refused:
        create_client(team=stack.team).members("00000000-0000-4000-8000-000000000000")
    assert (refused.value.status, refused.value.code) == (404, "not_found")

    with pytest.raises(UnknownTeamError, match='You have no team "Nowhere"'):
        create_client(team="Nowhere")
    with pytest.raises(UnknownProfileError):
        create_client(profile="nowhere")


def test_an_expired_access_token_is_refreshed_and_the_rotated_refresh_token_saved(stack):
    before = expire_access_token()
    assert create_client().principal()["account"]["id"] == stack.team
    after = home().login("default")
    assert after.refresh_token != before
    assert datetime.fromisoformat(after.expires_at.replace("Z", "+00:00")) > datetime.now(timezone.utc)
    assert stat.S_IMODE(os.stat(home().auth_file).st_mode) == 0o600


def test_an_access_token_the_api_rejects_is_renewed_once(stack):
    before = change_saved_login(accessToken="not-a-token")
    assert create_client().principal()["account"]["id"] == stack.team
    assert home().login("default").refresh_token != before


def test_python_and_the_cli_refreshing_at_once_do_not_revoke_the_session(stack):
    before = expire_access_token()
    # Without the shared lock on auth.json, a second refresh would present a used token and revoke the session.
    processes = [run_script() if turn % 2 else run_cli(stack, "teams", "list") for turn in range(6)]
    results = [finished(process) for process in processes]
    assert [code for code, _, _ in results] == [0] * 6, [stderr for _, _, stderr in results]
    assert home().login("default").refresh_token != before

    code, stdout, stderr = finished(run_script())
    assert code == 0, stderr
    assert json.loads(stdout)["principal"]["account"]["id"] == stack.team
    assert finished(run_cli(stack, "auth", "status"))[0] == 0
