import pytest

from tessera_client import NotSignedInError, Profile, choose_credential, read_client_environment

from support import login_for

HOST = "http://127.0.0.1:4000"


DEFAULT_PROFILE = Profile(host=HOST)


def choose(home, env, profile=DEFAULT_PROFILE):
    return choose_credential(read_client_environment({"TESSERA_HOME": home.dir, **env}), home, "default", profile, HOST)


def test_tessera_key_comes_first(home):
    home.save_login("default", login_for(HOST))
    credential = choose(home, {"TESSERA_KEY": "tsk_env"}, Profile(host=HOST, key="tsk_profile"))
    assert (credential.type, credential.source, credential.why) == (
        "key",
        "TESSERA_KEY",
        "TESSERA_KEY is set in the environment",
    )
    assert credential.authorization() == "Key tsk_env"
    assert credential.renew() is False


def test_then_the_profiles_key(home):
    home.save_login("default", login_for(HOST))
    credential = choose(home, {}, Profile(host=HOST, key="tsk_profile"))
    assert (credential.source, credential.why) == ("profile", 'profile "default" has an API key')
    assert credential.authorization() == "Key tsk_profile"


def test_then_the_saved_login(home):
    home.save_login("default", login_for(HOST, access_token="at-saved"))
    credential = choose(home, {})
    assert (credential.type, credential.source) == ("bearer", "login")
    assert credential.why == 'you logged in with "tessera auth login" (profile "default")'
    assert credential.authorization() == "Bearer at-saved"


def test_force_auth_by_user_skips_both_keys(home):
    home.save_login("default", login_for(HOST))
    credential = choose(home, {"TESSERA_KEY": "tsk_env", "TESSERA_FORCE_AUTH_BY_USER": "1"}, Profile(HOST, "tsk_p"))
    assert credential.type == "bearer"
    assert credential.why == "TESSERA_FORCE_AUTH_BY_USER is set, so the saved login is used"


def test_a_login_is_never_sent_to_another_host(home):
    home.save_login("default", login_for("https://elsewhere.example.com"))
    with pytest.raises(NotSignedInError) as refused:
        choose(home, {})
    assert str(refused.value) == f'Not logged in to {HOST}: run "tessera auth login", or set TESSERA_KEY.'


def test_says_why_when_forced_without_a_login(home):
    with pytest.raises(NotSignedInError) as refused:
        choose(home, {"TESSERA_KEY": "tsk_env", "TESSERA_FORCE_AUTH_BY_USER": "yes"})
    assert str(refused.value) == (
        f'TESSERA_FORCE_AUTH_BY_USER is set but profile "default" has no login for {HOST}: run "tessera auth login".'
    )


def test_a_key_never_shows_in_its_repr(home):
    assert "tsk_secret" not in repr(choose(home, {"TESSERA_KEY": "tsk_secret"}))
