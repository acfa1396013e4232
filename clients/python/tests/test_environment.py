import os

from tessera_client import read_client_environment


def test_reads_the_cli_variables_and_ignores_blank_ones():
    env = read_client_environment(
        {
            "TESSERA_KEY": " tsk_abc ",
            "TESSERA_FORCE_AUTH_BY_USER": "TRUE",
            "TESSERA_HOME": "/srv/tessera",
            "TESSERA_HOST": "https://tessera.example.com",
            "TESSERA_PROFILE": "   ",
        }
    )
    assert env.key == "tsk_abc"
    assert env.force_auth_by_user is True
    assert env.home == "/srv/tessera"
    assert env.host == "https://tessera.example.com"
    assert env.profile is None


def test_defaults_to_the_tessera_folder_of_home_and_no_forcing():
    env = read_client_environment({"HOME": "/home/ada", "TESSERA_FORCE_AUTH_BY_USER": "0"})
    assert env.home == os.path.join("/home/ada", ".tessera")
    assert env.force_auth_by_user is False
    assert (env.key, env.host, env.profile) == (None, None, None)


def test_accepts_the_same_spellings_of_force_as_the_cli():
    for value in ("1", "true", "yes", "Yes"):
        assert read_client_environment({"TESSERA_FORCE_AUTH_BY_USER": value}).force_auth_by_user
    for value in ("", "0", "no", "on"):
        assert not read_client_environment({"TESSERA_FORCE_AUTH_BY_USER": value}).force_auth_by_user
