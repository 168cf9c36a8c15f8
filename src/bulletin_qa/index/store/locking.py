"""One writer at a time: an inter-process file lock (the `filelock` package) around every write.

An embedded store's lock file sits in the store directory (`bulletin-qa.lock`), so every process
on the machine that writes to that directory takes the same lock, including the one creating a
new store (two first ingests no longer race to create the collections). Readers take no lock:
they never block, and they never see a half-written article because its record is written after
its chunks (store/core.py).

A Chroma server (--chroma-url) is shared over the network, where a file lock cannot reach: the
lock used then lives in the local cache directory and only keeps writers on this machine apart.
Writers on other machines can still interleave; `bulletin-qa check` finds what that breaks and
`bulletin-qa check --repair` fixes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin_qa.errors import StoreBusy, StoreUnavailable

if TYPE_CHECKING:
    from filelock import BaseFileLock

LOCK_NAME = "bulletin-qa.lock"


def server_lock_path(cache_dir: Path, url: str, prefix: str) -> Path:
    """The local lock file for a Chroma server's collections (same machine only, see above)."""
    digest = hashlib.sha256(f"{url}\n{prefix}".encode()).hexdigest()[:16]
    return cache_dir / "locks" / f"chroma-{digest}.lock"


class StoreLock:
    """The write lock of one store; `hold()` is re-entrant within a process."""

    def __init__(self, path: Path | None, location: str, *, wait: bool = True,
                 on_wait: Callable[[str], None] | None = None, read_only: bool = False) -> None:
        self.read_only = read_only  # opened from a private copy (opening.py): writing would change the copy
        self.path = path
        self.location = location
        self.wait = wait
        self.on_wait = on_wait
        self._lock: BaseFileLock | None = None
        self._depth = 0

    def _file_lock(self) -> BaseFileLock:
        """The `filelock` lock on `path`, made (with its folder) on first use."""
        if self._lock is None:
            from filelock import FileLock

            assert self.path is not None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._cannot_write(exc) from exc
            self._lock = FileLock(str(self.path))
        return self._lock

    def _cannot_write(self, exc: OSError) -> StoreUnavailable:
        return StoreUnavailable(
            f"Cannot write to the store at {self.location}: {exc.strerror or exc} ({self.path}).",
            hint="Nothing was changed. Reading commands still work; to add articles, make the directory "
                 "writable or ingest into another --store.")

    def _acquire(self) -> None:
        from filelock import Timeout

        lock = self._file_lock()
        try:
            lock.acquire(timeout=0)
            return
        except Timeout:
            pass
        except OSError as exc:
            raise self._cannot_write(exc) from exc
        if not self.wait:
            raise StoreBusy(f"Another bulletin-qa process is writing to the store at {self.location}.",
                            hint="Wait for it to finish, or run the command again without --no-wait to wait.")
        if self.on_wait:
            self.on_wait(f"Waiting for another bulletin-qa process to finish writing to {self.location} ...")
        lock.acquire()

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the write lock for the block (no-op for a store without a lock path)."""
        if self.read_only:
            raise StoreUnavailable(f"The store at {self.location} is read-only for this user: it can be read, "
                                   "not changed.", hint="Make the directory writable, or ingest into another --store.")
        if self.path is None:
            yield
            return
        if self._depth == 0:
            self._acquire()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._file_lock().release()
