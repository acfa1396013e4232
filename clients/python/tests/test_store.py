import json
import multiprocessing
import os
import stat
import threading
import time

import pytest

from tessera_client import DEFAULT_HOST, Profile, SavedLogin, TesseraError, TesseraHome, UnknownProfileError
from tessera_client import store as store_module
from tessera_client.environment import read_client_environment
from tessera_client.profiles import active_profile

from support import login_for, write_json


def mode_of(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_without_config_json_there_is_the_default_profile(home):
    profiles = home.profiles()
    assert profiles.current == "default"
    assert profiles.profiles == {"default": Profile(host=DEFAULT_HOST)}


def test_reads_the_profiles_the_cli_writes(home):
    write_json(
        home.config_file,
        {
            "current": "ci",
            "profiles": {
                "default": {"host": "http://127.0.0.1:4000", "team": "01a245da-f2a8-7393-8e5f-53776ebf3ec8"},
                "ci": {"host": "https://tessera.example.com", "key": "tsk_ci"},
            },
        },
    )
    profiles = home.profiles()
    assert profiles.current == "ci"
    assert profiles.profiles["default"].team == "01a245da-f2a8-7393-8e5f-53776ebf3ec8"
    assert profiles.profiles["ci"] == Profile(host="https://tessera.example.com", key="tsk_ci")


def test_the_active_profile_is_tessera_profile_over_the_current_one_and_tessera_host_over_its_host(home):
    write_json(home.config_file, {"current": "default", "profiles": {"ci": {"host": "https://ci.example.com"}}})
    env = read_client_environment({"TESSERA_HOME": home.dir, "TESSERA_PROFILE": "ci"})
    assert active_profile(env, home).host == "https://ci.example.com"
    env = read_client_environment({"TESSERA_HOME": home.dir, "TESSERA_PROFILE": "ci", "TESSERA_HOST": "http://other"})
    assert active_profile(env, home).host == "http://other"
    assert active_profile(env, home, "default").name == "default"
    with pytest.raises(UnknownProfileError, match=r'There is no profile "nowhere" \(profiles: default, ci\)\.'):
        active_profile(env, home, "nowhere")


def test_saves_logins_in_the_cli_format_mode_0600_in_a_0700_folder_keeping_other_profiles(home):
    write_json(home.auth_file, {"staging": {"host": "h", "accessToken": "a", "refreshToken": "r", "expiresAt": "e"}})
    os.chmod(home.dir, 0o700)
    saved = SavedLogin("http://127.0.0.1:4000", "at", "tsr_1", "2026-12-08T10:00:00.000Z")
    home.save_login("default", saved)

    with open(home.auth_file) as stream:
        text = stream.read()
    assert json.loads(text) == {
        "staging": {"host": "h", "accessToken": "a", "refreshToken": "r", "expiresAt": "e"},
        "default": {
            "host": "http://127.0.0.1:4000",
            "accessToken": "at",
            "refreshToken": "tsr_1",
            "expiresAt": "2026-12-08T10:00:00.000Z",
        },
    }
    assert text.startswith('{\n  "staging": {\n    "host": "h",') and text.endswith("}\n")  # JSON.stringify(…, 2)
    assert mode_of(home.auth_file) == 0o600
    assert home.login("default") == saved
    assert os.listdir(home.dir) == ["auth.json"]  # the temporary file was renamed, not left behind

    home.save_login("default", None)
    assert home.login("default") is None and home.login("staging") is not None


def test_creates_the_folder_0700_on_first_write(tmp_path):
    home = TesseraHome(str(tmp_path / "fresh" / ".tessera"))
    home.save_login("default", login_for("http://h"))
    assert mode_of(home.dir) == 0o700
    assert mode_of(home.auth_file) == 0o600


def test_says_which_file_is_not_valid_json(home):
    write_json(home.auth_file, {})
    with open(home.auth_file, "w") as stream:
        stream.write("{not json")
    with pytest.raises(TesseraError, match=r"auth\.json is not valid JSON: fix it or delete it\."):
        home.login("default")


def test_the_lock_is_the_cli_lock_file_and_is_removed_afterwards(home):
    with home.auth_lock():
        lock = f"{home.auth_file}.lock"
        assert os.path.exists(lock)
        assert mode_of(lock) == 0o600
    assert not os.path.exists(lock)


def test_the_lock_waits_for_a_live_holder(home):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    open(lock, "w").close()  # another process (the CLI) holds it
    threading.Timer(0.3, os.remove, [lock]).start()
    started = time.monotonic()
    with home.auth_lock():
        waited = time.monotonic() - started
    assert 0.25 <= waited < 5


def test_the_lock_takes_over_a_stale_one_left_by_a_crash(home):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    open(lock, "w").close()
    old = time.time() - 31
    os.utime(lock, (old, old))
    started = time.monotonic()
    with home.auth_lock():
        pass
    assert time.monotonic() - started < 1


def test_the_lock_gives_up_after_waiting(home, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 0.2)
    os.makedirs(home.dir)
    open(f"{home.auth_file}.lock", "w").close()
    with pytest.raises(TesseraError, match=r"auth\.json\.lock is held by another tessera process\."):
        with home.auth_lock():
            pass


def _count_under_lock(directory: str, times: int) -> None:
    home = TesseraHome(directory)
    counter = os.path.join(directory, "counter")
    for _ in range(times):
        with home.auth_lock():
            with open(counter) as stream:
                value = int(stream.read())
            time.sleep(0.001)  # widen the window a missing lock would lose an update in
            with open(counter, "w") as stream:
                stream.write(str(value + 1))


def test_the_lock_excludes_other_processes(home):
    os.makedirs(home.dir)
    with open(os.path.join(home.dir, "counter"), "w") as stream:
        stream.write("0")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_count_under_lock, args=(home.dir, 25)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    with open(os.path.join(home.dir, "counter")) as stream:
        assert stream.read() == "100"
