"""The lock file that keeps two processes from refreshing with the same token, as the CLI takes it.

The protocol is the one of libs/client/src/lock-file.ts, so that Python and the CLI exclude each other; change both
together (decisions 007 and 032).

The timings only make sense together. A holder refreshes with a request that gives up after REFRESH_TIMEOUT_SECONDS,
so it releases the lock long before STALE_LOCK_SECONDS, the age at which a lock is taken for one left by a crash. Age
is wall-clock time, which runs on while a laptop sleeps and the holder's timeout does not, so a stale lock is taken
over only once this waiter has also watched it, unchanged, for TAKEOVER_WATCH_SECONDS of monotonic time (which stops
during sleep, like the holder's timeout): longer than a refresh can still take after waking up. A waiter waits
LOCK_WAIT_SECONDS: longer than that watch, and well below the stale age, so that a lock held for longer is reported in
seconds.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from .errors import TesseraError

REFRESH_TIMEOUT_SECONDS = 10.0
TAKEOVER_WATCH_SECONDS = 12.0
STALE_LOCK_SECONDS = 60.0
LOCK_WAIT_SECONDS = 15.0
LOCK_POLL_SECONDS = 0.05
PRIVATE_FILE = 0o600


@contextmanager
def hold_lock_file(lock: str) -> Iterator[None]:
    """Holds `lock` for the `with` block: created exclusively and holding `<pid> <random hex>`, so that the release
    removes it only while it is still this holder's."""
    owner = _acquire(lock)
    try:
        yield
    finally:
        _release(lock, owner)


def _acquire(lock: str) -> str:
    owner = f"{os.getpid()} {secrets.token_hex(16)}"
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    watched: str | None = None
    watched_since = 0.0
    while not _create_exclusively(lock, owner):
        seen = _look(lock)
        if seen is None:
            continue  # released since the attempt: try again at once
        if seen.identity != watched:
            watched, watched_since = seen.identity, time.monotonic()
        watched_long_enough = time.monotonic() - watched_since > TAKEOVER_WATCH_SECONDS
        if seen.age > STALE_LOCK_SECONDS and watched_long_enough and _take_over(lock, seen.identity, owner):
            continue
        if time.monotonic() > deadline:
            raise TesseraError(
                f"{lock} is held by another tessera process. "
                f"A lock left by a crash is taken over once it is {STALE_LOCK_SECONDS:g} s old."
            )
        time.sleep(LOCK_POLL_SECONDS)
    return owner


def _create_exclusively(lock: str, owner: str) -> bool:
    try:
        descriptor = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    try:
        os.write(descriptor, owner.encode("ascii"))
    except BaseException:
        os.close(descriptor)
        os.remove(lock)
        raise
    os.close(descriptor)
    return True


def _take_over(lock: str, identity: str, owner: str) -> bool:
    """Removes the stale lock this contender watched (`identity`), one contender at a time.

    Meanwhile another may have removed it and created a fresh one, so the lock is looked at again under
    `<lock>.takeover` (a lock of its own, held for a few system calls). Answers False when another contender is taking
    over, to be waited for.
    """
    guard = f"{lock}.takeover"
    if not _create_exclusively(guard, owner):
        # A guard this old was left by a crash in the middle of a takeover.
        guard_seen = _look(guard)
        if guard_seen is None:
            return True
        if guard_seen.age <= STALE_LOCK_SECONDS:
            return False
        _remove_if_still_stale(guard, guard_seen.identity)
        return True
    try:
        seen = _look(lock)
        if seen is not None and seen.identity == identity and seen.age > STALE_LOCK_SECONDS:
            _remove_if_still_stale(lock, identity)
    finally:
        _release(guard, owner)
    return True


def _remove_if_still_stale(file: str, identity: str) -> None:
    """Deletes `file` if it is still the stale one seen as `identity`.

    A plain delete could hit a fresh file that a rival put in its place since that look, so the file is first renamed
    to a name of this contender's and looked at there: when it is not the one seen, it is put back with `link` (which
    fails rather than overwrite one created meanwhile).
    """
    aside = f"{file}.{os.getpid()}.{secrets.token_hex(8)}.stale"
    try:
        os.rename(file, aside)
    except FileNotFoundError:
        return
    try:
        moved = _look(aside)
        if moved is not None and (moved.identity != identity or moved.age <= STALE_LOCK_SECONDS):
            try:
                os.link(aside, file)
            except FileExistsError:
                pass
    finally:
        os.remove(aside)


def _release(lock: str, owner: str) -> None:
    # A lock taken over by another process (this one was suspended past the stale age) is that process's now.
    if _holder_of(lock) == owner:
        _remove_if_present(lock)


def _remove_if_present(file: str) -> None:
    try:
        os.remove(file)
    except FileNotFoundError:
        pass


def _holder_of(lock: str) -> str | None:
    try:
        with open(lock, encoding="ascii", errors="replace") as stream:
            return stream.read()
    except FileNotFoundError:
        return None


class _Sighting(NamedTuple):
    age: float
    """How long ago the file was written (seconds, wall clock)."""
    identity: str
    """Its device, inode and nonce, read through one descriptor so that they belong to the same file."""


def _look(file: str) -> _Sighting | None:
    """What `file` is, or None when there is none."""
    try:
        descriptor = os.open(file, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        status = os.fstat(descriptor)
        nonce = b""
        while chunk := os.read(descriptor, 4096):
            nonce += chunk
    finally:
        os.close(descriptor)
    identity = f"{status.st_dev} {status.st_ino} {nonce.decode('utf-8', errors='replace')}"
    return _Sighting(age=time.time() - status.st_mtime, identity=identity)
