import json
import re
import multiprocessing
import os
import signal
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
OTHER_OWNER = "31337 fedcba9876543210fedcba9876543210"
SHORT_WATCH_SECONDS = 0.1


@pytest.fixture
def short_watch(monkeypatch):
    """A stale lock taken over after watching it for a tenth of a second rather than for seconds."""
    monkeypatch.setattr(lock_file, "TAKEOVER_WATCH_SECONDS", SHORT_WATCH_SECONDS)


def plant_stale_lock(file: str, owner: str = STALE_OWNER) -> None:
    """A lock as a process that crashed a while ago left it."""
    with open(file, "w") as stream:
        stream.write(owner)
    old = time.time() - lock_file.STALE_LOCK_SECONDS - 5
    os.utime(file, (old, old))


def replace_lock(lock: str) -> None:
    """Another process replaces the lock with a fresh one of its own."""
    os.remove(lock)
    with open(lock, "w") as stream:
        stream.write(OTHER_OWNER)


def contend_in_background(home: TesseraHome) -> tuple[threading.Thread, threading.Event]:
    entered = threading.Event()

    def contend() -> None:
        with home.auth_lock():
            entered.set()

    contender = threading.Thread(target=contend)
    contender.start()
    return contender, entered


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
    with home.auth_lock():
        # This holder was suspended past the stale age and another process took the lock over meanwhile.
        replace_lock(lock)
    with open(lock) as stream:
        assert stream.read() == OTHER_OWNER


def test_a_fresh_lock_is_waited_for_and_left_alone(home):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    with open(lock, "w") as stream:
        stream.write(STALE_OWNER)  # written just now: a live holder, whatever its nonce
    contender, entered = contend_in_background(home)
    time.sleep(0.5)
    assert not entered.is_set()
    with open(lock) as stream:
        assert stream.read() == STALE_OWNER
    os.remove(lock)  # the holder releases it
    assert entered.wait(5)
    contender.join(5)
    assert not os.path.exists(lock)


def test_a_stale_lock_is_taken_over_by_exactly_one_of_several_concurrent_contenders(home, monkeypatch, short_watch):
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
    "step",
    [
        "open",  # the lock was replaced before this contender took the guard: looked at again under it
        "rename",  # replaced between the look under the guard and the rename: the renamed fresh lock is put back
    ],
)
def test_a_fresh_lock_that_replaced_the_stale_one_a_contender_watched_is_left_to_its_holder(
    home, monkeypatch, short_watch, step
):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    plant_stale_lock(lock)
    real = getattr(os, step)
    replaced = threading.Event()

    def replaying(path, *args, **kwargs):
        # Meanwhile another contender took the stale lock over and holds a fresh one.
        at_that_step = path == lock if step == "rename" else path == f"{lock}.takeover" and args[0] & os.O_EXCL
        if at_that_step and not replaced.is_set():
            replaced.set()
            replace_lock(lock)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(lock_file.os, step, replaying)
    contender, entered = contend_in_background(home)
    time.sleep(0.5)
    assert replaced.is_set()
    assert not entered.is_set()
    assert os.listdir(home.dir) == ["auth.json.lock"]
    with open(lock) as stream:
        assert stream.read() == OTHER_OWNER
    os.remove(lock)  # the holder releases it
    assert entered.wait(5)
    contender.join(5)


def test_a_stale_lock_is_taken_over_only_after_watching_it_unchanged_for_a_while(home, monkeypatch):
    # After a suspend both the waiter and the holder (whose refresh was in flight) wake up to a lock older than the
    # stale age; the holder's refresh timeout resumes where it stopped, as does the monotonic clock.
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    plant_stale_lock(lock)
    real_monotonic = time.monotonic
    clock_ahead = 0.0
    monkeypatch.setattr(lock_file.time, "monotonic", lambda: real_monotonic() + clock_ahead)

    def watch_for(seconds: float) -> None:
        nonlocal clock_ahead
        time.sleep(0.2)
        clock_ahead += seconds
        time.sleep(0.3)

    contender, entered = contend_in_background(home)
    watch_for(lock_file.TAKEOVER_WATCH_SECONDS - 1)
    assert not entered.is_set()
    with open(lock) as stream:
        assert stream.read() == STALE_OWNER
    # The holder released and another took the lock, which the clock then also calls stale: the watch begins again.
    plant_stale_lock(lock, OTHER_OWNER)
    watch_for(2)
    assert not entered.is_set()
    with open(lock) as stream:
        assert stream.read() == OTHER_OWNER
    watch_for(lock_file.TAKEOVER_WATCH_SECONDS)
    assert entered.wait(5)
    contender.join(5)
    assert os.listdir(home.dir) == []


def test_a_fresh_takeover_guard_that_replaced_the_stale_one_a_contender_saw_is_left_alone(
    home, monkeypatch, short_watch
):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    guard = f"{lock}.takeover"
    plant_stale_lock(lock)
    plant_stale_lock(guard)
    real_look = lock_file._look
    replaced = threading.Event()

    def look(file: str):
        seen = real_look(file)
        if file == guard and not replaced.is_set():
            # Right after this contender's look at the stale guard, a rival removed it and takes over under its own.
            replaced.set()
            os.remove(guard)
            with open(guard, "w") as stream:
                stream.write(OTHER_OWNER)
        return seen

    monkeypatch.setattr(lock_file, "_look", look)
    contender, entered = contend_in_background(home)
    time.sleep(0.5)
    assert replaced.is_set()
    assert not entered.is_set()
    with open(guard) as stream:
        assert stream.read() == OTHER_OWNER
    assert sorted(os.listdir(home.dir)) == ["auth.json.lock", "auth.json.lock.takeover"]
    os.remove(guard)  # the rival is done
    assert entered.wait(5)
    contender.join(5)
    assert os.listdir(home.dir) == []


def test_the_lock_is_released_when_ctrl_c_interrupts_its_holder(home):
    with pytest.raises(KeyboardInterrupt):
        with home.auth_lock():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # interrupted
    assert not os.path.exists(f"{home.auth_file}.lock")


def test_a_takeover_guard_left_by_a_crash_is_removed_and_the_stale_lock_taken_over(home, short_watch):
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


def test_the_lock_takes_over_a_stale_one_left_by_a_crash_once_watched(home, short_watch):
    os.makedirs(home.dir)
    lock = f"{home.auth_file}.lock"
    plant_stale_lock(lock)
    started = time.monotonic()
    with home.auth_lock():
        pass
    assert SHORT_WATCH_SECONDS <= time.monotonic() - started < 1


def test_the_lock_gives_up_after_waiting(home, monkeypatch):
    monkeypatch.setattr(lock_file, "LOCK_WAIT_SECONDS", 0.2)
    os.makedirs(home.dir)
    open(f"{home.auth_file}.lock", "w").close()
    with pytest.raises(TesseraError, match=r"auth\.json\.lock is held by another tessera process\."):
        with home.auth_lock():
            pass


def _count_under_lock(directory: str, times: int) -> None:
    lock_file.TAKEOVER_WATCH_SECONDS = SHORT_WATCH_SECONDS  # in a process of its own, restored at its end
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
    assert (
        lock_file.REFRESH_TIMEOUT_SECONDS
        < lock_file.TAKEOVER_WATCH_SECONDS
        < lock_file.LOCK_WAIT_SECONDS
        < lock_file.STALE_LOCK_SECONDS
    )
    assert lock_file.STALE_LOCK_SECONDS >= 4 * lock_file.REFRESH_TIMEOUT_SECONDS
