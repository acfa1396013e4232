"""The client against a local stand-in of the API: headers, errors, and refreshing a saved login."""

import json
import os
import threading
import time

import pytest

from tessera_client import (
    NotSignedInError,
    TesseraApiError,
    TesseraConnectionError,
    UnknownTeamError,
    create_client,
)
from tessera_client import credentials

from support import login_for, write_json

TEAM = "01a245da-f2a8-7393-8e5f-53776ebf3ec8"
PERSONAL = "01a245da-dcaf-7103-8072-f5e5f92caa64"
ACCOUNTS = [
    {"id": PERSONAL, "kind": "personal", "name": "Ada Lovelace", "role": "admin"},
    {"id": TEAM, "kind": "team", "name": "Research", "role": "admin"},
]


def environ(home, api, **extra):
    return {"TESSERA_HOME": home.dir, "TESSERA_HOST": api.url, **extra}


def set_team(home, team):
    write_json(home.config_file, {"current": "default", "profiles": {"default": {"host": "unused", "team": team}}})


def grant(access_token, refresh_token):
    return (
        200,
        {"access_token": access_token, "token_type": "Bearer", "expires_in": 900, "refresh_token": refresh_token},
    )


def test_a_login_acts_for_the_team_set_in_the_profile(home, api):
    home.save_login("default", login_for(api.url, access_token="at-1"))
    set_team(home, TEAM)
    api.on("GET", f"/v1/teams/{TEAM}/members", (200, [{"email": "ada@example.com", "role": "admin"}]))

    client = create_client(environ=environ(home, api))
    assert client.members() == [{"email": "ada@example.com", "role": "admin"}]
    [sent] = api.received
    assert sent.headers["authorization"] == "Bearer at-1"
    assert sent.headers["x-tessera-account"] == TEAM


def test_a_team_name_in_the_profile_is_looked_up_like_the_cli_does(home, api):
    home.save_login("default", login_for(api.url))
    set_team(home, "research")
    api.on("GET", "/v1/me/accounts", (200, ACCOUNTS))
    assert create_client(environ=environ(home, api)).account == TEAM
    assert create_client(team="personal", environ=environ(home, api)).account == PERSONAL
    with pytest.raises(UnknownTeamError, match='You have no team "Nowhere"'):
        create_client(team="Nowhere", environ=environ(home, api))


def test_home_replaces_tessera_home(home, api, tmp_path):
    home.save_login("default", login_for(api.url, access_token="at-here"))
    elsewhere = {"TESSERA_HOME": str(tmp_path / "elsewhere"), "TESSERA_HOST": api.url}
    assert create_client(environ=elsewhere, home=home.dir).credential.authorization() == "Bearer at-here"


def test_a_key_never_sends_the_profiles_team(home, api):
    set_team(home, TEAM)
    api.on("GET", "/v1/principal", (200, {"account": {"id": PERSONAL, "kind": "personal"}}))
    client = create_client(environ=environ(home, api, TESSERA_KEY="tsk_key"))
    assert client.account is None
    client.principal()
    [sent] = api.received
    assert sent.headers["authorization"] == "Key tsk_key"
    assert "x-tessera-account" not in sent.headers


def test_the_read_calls_default_to_the_account_acted_for(home, api):
    api.on("GET", "/v1/principal", (200, {"account": {"id": PERSONAL, "kind": "personal"}}))
    api.on("GET", f"/v1/accounts/{PERSONAL}/keys", (200, []))
    api.on("GET", f"/v1/accounts/{PERSONAL}/usage", (200, {"rows": []}))
    api.on("GET", "/v1/me/accounts", (200, ACCOUNTS))
    client = create_client(environ=environ(home, api, TESSERA_KEY="tsk_key"))
    assert client.keys() == []
    client.usage(from_="2026-12-01", group_by="action")
    assert api.received[-1].path == f"/v1/accounts/{PERSONAL}/usage?from=2026-12-01&groupBy=action"
    assert [team["name"] for team in client.teams()] == ["Research"]


def test_authz_check_sends_the_credential_in_the_body_only(home, api):
    home.save_login("default", login_for(api.url, access_token="at-1"))
    set_team(home, TEAM)
    api.on("POST", "/v1/authz/check", (200, {"allow": True}))
    assert create_client(environ=environ(home, api)).authz_check("models.call", record=True) == {"allow": True}
    [sent] = api.received
    assert sent.body == {"authorization": "Bearer at-1", "action": "models.call", "account": TEAM, "record": True}
    assert "authorization" not in sent.headers and "x-tessera-account" not in sent.headers


def test_a_refusal_is_a_tessera_api_error_with_status_code_message_and_request_id(home, api):
    api.on(
        "GET",
        "/v1/principal",
        (
            403,
            {"error": {"code": "forbidden", "message": "API keys cannot do this.", "requestId": "req-1"}},
            {"x-request-id": "req-1"},
        ),
    )
    with pytest.raises(TesseraApiError) as refused:
        create_client(environ=environ(home, api, TESSERA_KEY="tsk_key")).principal()
    error = refused.value
    assert (error.status, error.code, error.message, error.request_id) == (
        403,
        "forbidden",
        "API keys cannot do this.",
        "req-1",
    )
    assert str(error) == "API keys cannot do this. (forbidden, request req-1)"


def test_validation_details_are_kept(home, api):
    details = [{"path": "action", "message": "Required"}]
    api.on(
        "POST",
        "/v1/authz/check",
        (400, {"error": {"code": "validation_failed", "message": "Bad.", "requestId": "r", "details": details}}),
    )
    with pytest.raises(TesseraApiError) as refused:
        create_client(environ=environ(home, api, TESSERA_KEY="tsk_key")).authz_check("")
    assert refused.value.details == details


def test_an_answer_that_is_not_tesseras_is_a_connection_error(home, api):
    api.on("GET", "/v1/principal", (502, b"<html>Bad gateway</html>"))
    api.on("GET", "/v1/me", (302, None, {"location": "https://elsewhere.example.com/"}))
    client = create_client(environ=environ(home, api, TESSERA_KEY="tsk_key"))
    with pytest.raises(TesseraConnectionError, match="answered HTTP 502 without a Tessera error"):
        client.principal()
    with pytest.raises(TesseraConnectionError, match="answered HTTP 302"):
        client.me()  # a redirect is not followed: the key stays with this host


def test_an_unreachable_host_is_a_connection_error(home):
    client = create_client(environ={"TESSERA_HOME": home.dir, "TESSERA_HOST": "http://127.0.0.1:9", "TESSERA_KEY": "k"})
    with pytest.raises(TesseraConnectionError, match=r"Cannot reach Tessera at http://127\.0\.0\.1:9 \(") as refused:
        client.principal()
    assert refused.value.host == "http://127.0.0.1:9"


def test_an_expired_access_token_is_refreshed_first_and_the_rotated_token_saved(home, api):
    home.save_login("default", login_for(api.url, expires_in=-1, refresh_token="tsr_1", access_token="at-old"))
    api.on("POST", "/auth/token", grant("at-new", "tsr_2"))
    api.on("GET", "/v1/me", (200, {"email": "ada@example.com"}))

    create_client(environ=environ(home, api)).me()
    refresh, call = api.received
    assert refresh.body == {"grant_type": "refresh_token", "refresh_token": "tsr_1"}
    assert call.headers["authorization"] == "Bearer at-new"
    saved = home.login("default")
    assert (saved.access_token, saved.refresh_token, saved.host) == ("at-new", "tsr_2", api.url)
    assert not os.path.exists(f"{home.auth_file}.lock")


@pytest.mark.parametrize("code", ["invalid_token", "invalid_credentials"])
def test_a_rejected_access_token_is_renewed_once_and_the_request_sent_again(home, api, code):
    home.save_login("default", login_for(api.url, access_token="at-revoked"))
    api.on("POST", "/auth/token", grant("at-new", "tsr_2"))
    rejected = (401, {"error": {"code": code, "message": "The token is invalid.", "requestId": "r"}})
    api.on(
        "GET",
        "/v1/me",
        lambda request: rejected if request.headers["authorization"] == "Bearer at-revoked" else (200, {"ok": True}),
    )

    assert create_client(environ=environ(home, api)).me() == {"ok": True}
    assert [request.path for request in api.received] == ["/v1/me", "/auth/token", "/v1/me"]


def test_a_request_rejected_again_after_renewing_is_not_retried_twice(home, api):
    home.save_login("default", login_for(api.url))
    api.on("POST", "/auth/token", grant("at-new", "tsr_2"))
    api.on("GET", "/v1/me", (401, {"error": {"code": "invalid_token", "message": "No.", "requestId": "r"}}))
    with pytest.raises(TesseraApiError):
        create_client(environ=environ(home, api)).me()
    assert [request.path for request in api.received] == ["/v1/me", "/auth/token", "/v1/me"]


def test_a_key_the_api_rejects_is_not_retried(home, api):
    api.on("GET", "/v1/me", (401, {"error": {"code": "invalid_token", "message": "No.", "requestId": "r"}}))
    with pytest.raises(TesseraApiError):
        create_client(environ=environ(home, api, TESSERA_KEY="tsk_key")).me()
    assert len(api.received) == 1


def test_a_signed_out_login_says_to_log_in_again(home, api):
    home.save_login("default", login_for(api.url, expires_in=-1))
    api.on(
        "POST", "/auth/token", (400, {"error": "invalid_grant", "error_description": "The refresh token is not valid."})
    )
    with pytest.raises(
        NotSignedInError, match=r'Your login has expired or was signed out: run "tessera auth login" again\.'
    ):
        create_client(environ=environ(home, api)).me()


def test_tokens_another_process_refreshed_meanwhile_are_used_without_refreshing_again(home, api):
    home.save_login("default", login_for(api.url, expires_in=-1, refresh_token="tsr_1"))
    api.on("GET", "/v1/me", (200, {}))
    client = create_client(environ=environ(home, api))
    # The CLI refreshed after this client read auth.json: tsr_1 is used up, and presenting it would revoke the session.
    home.save_login("default", login_for(api.url, refresh_token="tsr_2", access_token="at-cli"))

    client.me()
    assert api.requests_to("/auth/token") == []
    assert api.received[0].headers["authorization"] == "Bearer at-cli"


def test_threads_refreshing_at_once_present_the_refresh_token_once(home, api):
    home.save_login("default", login_for(api.url, expires_in=-1, refresh_token="tsr_1"))
    presented = []

    def refresh(request):
        presented.append(request.body["refresh_token"])
        if presented.count(request.body["refresh_token"]) > 1:
            return (400, {"error": "invalid_grant", "error_description": "Reused: the session is revoked."})
        return grant(f"at-{len(presented)}", f"tsr_{len(presented) + 1}")

    api.on("POST", "/auth/token", refresh)
    api.on("GET", "/v1/me", (200, {}))
    clients = [create_client(environ=environ(home, api)) for _ in range(4)]
    failures = []

    def call(client):
        try:
            client.me()
        except Exception as error:  # collected, so the assertion below names it
            failures.append(error)

    threads = [threading.Thread(target=call, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert presented == ["tsr_1"]
    assert json.loads(open(home.auth_file).read())["default"]["refreshToken"] == "tsr_2"


def test_a_refresh_the_api_does_not_answer_gives_up_after_the_refresh_timeout_and_releases_the_lock(
    home, api, monkeypatch
):
    monkeypatch.setattr(credentials, "REFRESH_TIMEOUT_SECONDS", 0.3)
    home.save_login("default", login_for(api.url, expires_in=-1, refresh_token="tsr_1"))
    answer = threading.Event()

    def slow_refresh(_):
        answer.wait(5)
        return grant("at-late", "tsr_2")

    api.on("POST", "/auth/token", slow_refresh)
    started = time.monotonic()
    with pytest.raises(TesseraConnectionError, match="timed out"):
        create_client(environ=environ(home, api)).me()
    answer.set()
    assert time.monotonic() - started < 3
    assert not os.path.exists(f"{home.auth_file}.lock")
