import json
import re
import multiprocessing
import os
import stat
import threading
import time

import pytest

from tessera_client import DEFAULT_HOST, Profile, SavedLogin, TesseraError, TesseraHome, UnknownProfileError
from tessera_client import lock_file
from tessera_client.environment import read_client_environment
from tessera_client.profiles import active_profile

from support import login_for, write_json


def mode_of(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


STALE_OWNER = "4242 0123456789abcdef0123456789abcdef"


def plant_stale_lock(file: str) -> None:
    """A lock as a process that crashed a while ago left it."""
    with open(file, "w") as stream:
        stream.write(STALE_OWNER)
    old = time.time() - lock_file.STALE_LOCK_SECONDS - 5
    os.utime(file, (old, old))


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


def test_the_lock_holds_a_nonce_of_its_own_pid_and_random_hex(home):
    with home.auth_lock():
        with open(f"{home.auth_file}.lock") as stream:
            first = stream.read()
    with home.auth_lock():
        with open(f"{home.auth_file}.lock") as stream:
            second = stream.read()
    assert re.fullmatch(rf"{os.getpid()} [0-9a-f]{{32}}", first)
    assert first != second


def test_a_lock_now_held_by_another_owner_is_not_deleted_on_release(home):
    lock = f"{home.auth_file}.lock"
    other = "31337 fedcba9876543210fedcba9876543210"
    with home.auth_lock():
        # This holder was suspended past the stale age and another process took the lock over meanwhile.
        os.remove(lock)
        with open(lock, "w") as stream:
            stream.write(other)
    with open(lock) as stream:
        assert stream.read() == other


def test_a_fresh_lock_is_waited_for_and_left_alone(home):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    with open(lock, "w") as stream:
        stream.write(STALE_OWNER)  # written just now: a live holder, whatever its nonce
    entered = threading.Event()

    def contend() -> None:
        with home.auth_lock():
            entered.set()

    contender = threading.Thread(target=contend)
    contender.start()
    time.sleep(0.5)
    assert not entered.is_set()
    with open(lock) as stream:
        assert stream.read() == STALE_OWNER
    os.remove(lock)  # the holder releases it
    assert entered.wait(5)
    contender.join(5)
    assert not os.path.exists(lock)


def test_a_stale_lock_is_taken_over_by_exactly_one_of_several_concurrent_contenders(home, monkeypatch):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    plant_stale_lock(lock)
    removed_stale: list[str] = []
    real_remove = os.remove

    def recording_remove(path: str) -> None:
        if path.endswith(".stale"):
            with open(path) as stream:
                removed_stale.append(stream.read())
        real_remove(path)

    monkeypatch.setattr(lock_file.os, "remove", recording_remove)
    start = threading.Barrier(8)
    inside: list[int] = []
    most_inside = 0
    guard = threading.Lock()

    def contend() -> None:
        nonlocal most_inside
        start.wait()
        with home.auth_lock():
            with guard:
                inside.append(1)
                most_inside = max(most_inside, len(inside))
            time.sleep(0.02)
            with guard:
                inside.pop()

    contenders = [threading.Thread(target=contend) for _ in range(8)]
    for contender in contenders:
        contender.start()
    for contender in contenders:
        contender.join(20)
    assert most_inside == 1
    assert removed_stale.count(STALE_OWNER) == 1
    assert os.listdir(home.dir) == []  # neither the lock nor a renamed one is left behind


@pytest.mark.parametrize(
    "stale_looks",
    [
        1,  # the lock was replaced before this contender took the guard: judged again under it
        2,  # replaced between the look under the guard and the rename: the renamed fresh lock is put back
    ],
)
def test_a_fresh_lock_that_replaced_the_stale_one_a_contender_saw_is_left_to_its_holder(home, monkeypatch, stale_looks):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    live = "31337 fedcba9876543210fedcba9876543210"
    with open(lock, "w") as stream:
        stream.write(live)  # another contender took the stale lock over and holds a fresh one
    real_age_of = lock_file._age_of
    looks = iter([lock_file.STALE_LOCK_SECONDS + 5] * stale_looks)  # this contender's looks date from before that

    def age_of(file: str) -> float | None:
        return next(looks, None) or real_age_of(file)

    monkeypatch.setattr(lock_file, "_age_of", age_of)
    monkeypatch.setattr(lock_file, "LOCK_WAIT_SECONDS", 0.3)
    with pytest.raises(TesseraError, match="held by another tessera process"):
        with home.auth_lock():
            pass
    with open(lock) as stream:
        assert stream.read() == live
    assert os.listdir(home.dir) == ["auth.json.lock"]


def test_a_takeover_guard_left_by_a_crash_is_removed_and_the_stale_lock_taken_over(home):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    plant_stale_lock(lock)
    plant_stale_lock(f"{lock}.takeover")
    with home.auth_lock():
        with open(lock) as stream:
            assert stream.read().startswith(f"{os.getpid()} ")
    assert os.listdir(home.dir) == []


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
    plant_stale_lock(lock)
    started = time.monotonic()
    with home.auth_lock():
        pass
    assert time.monotonic() - started < 1


def test_the_lock_gives_up_after_waiting(home, monkeypatch):
    monkeypatch.setattr(lock_file, "LOCK_WAIT_SECONDS", 0.2)
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


def test_the_lock_excludes_other_processes_also_while_they_take_over_a_stale_one(home):
    os.makedirs(home.dir)
    plant_stale_lock(f"{home.auth_file}.lock")
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

def test_a_refresh_gives_up_long_before_its_lock_could_be_taken_for_stale():
    assert lock_file.REFRESH_TIMEOUT_SECONDS < lock_file.LOCK_WAIT_SECONDS < lock_file.STALE_LOCK_SECONDS
    assert lock_file.STALE_LOCK_SECONDS >= 4 * lock_file.REFRESH_TIMEOUT_SECONDS
