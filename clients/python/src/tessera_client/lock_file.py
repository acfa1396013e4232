"""The lock file that keeps two processes from refreshing with the same token, as the CLI takes it.

The protocol is the one of libs/client/src/lock-file.ts, so that Python and the CLI exclude each other; change both
together (decisions 007 and 032).

The timings only make sense together. A holder refreshes with a request that gives up after REFRESH_TIMEOUT_SECONDS,
so it releases the lock long before STALE_LOCK_SECONDS, the age at which a lock is taken for one left by a crash and
taken over. A waiter waits LOCK_WAIT_SECONDS: longer than a holder's slowest refresh, and well below the stale age, so
that a lock held for longer is reported in seconds.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import TesseraError

REFRESH_TIMEOUT_SECONDS = 10.0
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
    while not _create_exclusively(lock, owner):
        age = _age_of(lock)
        if age is None:
            continue  # released since the attempt: try again at once
        if age > STALE_LOCK_SECONDS and _take_over(lock, owner):
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


def _take_over(lock: str, owner: str) -> bool:
    """Removes a stale lock, one contender at a time.

    A contender judged the lock stale a moment ago, and meanwhile another may have removed it and created a fresh one,
    so the judgement is made again under `<lock>.takeover` (a lock of its own, held for a few system calls). The lock
    is then renamed to a name of this contender's: should its holder have woken up and released it in between, and a
    fresh one taken its place, the rename moved that fresh one, which is put back. Answers False when another
    contender is taking over, to be waited for.
    """
    guard = f"{lock}.takeover"
    if not _create_exclusively(guard, owner):
        # A guard this old was left by a crash in the middle of a takeover.
        if (_age_of(guard) or 0.0) <= STALE_LOCK_SECONDS:
            return False
        _remove_if_present(guard)
        return True
    try:
        if (_age_of(lock) or 0.0) > STALE_LOCK_SECONDS:
            _remove_stale(lock)
    finally:
        _release(guard, owner)
    return True


def _remove_stale(lock: str) -> None:
    aside = f"{lock}.{os.getpid()}.{secrets.token_hex(8)}.stale"
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return
    try:
        if (_age_of(aside) or 0.0) <= STALE_LOCK_SECONDS:
            try:
                os.link(aside, lock)
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


def _age_of(file: str) -> float | None:
    """How long ago the lock was written (seconds), or None when there is none."""
    try:
        return time.time() - os.stat(file).st_mtime
    except FileNotFoundError:
        return None
