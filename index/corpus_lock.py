"""One writer per corpus folder: the process that serves admin changes holds an exclusive lock on a file in it.

Two servers that both wrote to one corpus folder lost acknowledged deletes (each rewrote `removed.json` from its
own view) and served different document sets. The writer takes `fcntl.flock(LOCK_EX | LOCK_NB)` on
`<corpus>/.gongbao-writer.lock` and keeps it while it runs; a second process asking for it gets a
`CorpusLockedError` naming the holder (its pid and host, written into the file). The kernel drops the lock when
the holder exits, even on `kill -9`, so a stale lock file never blocks anyone. Readers take no lock.
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
from pathlib import Path

LOCK_FILE = ".gongbao-writer.lock"


class CorpusLockedError(RuntimeError):
    """The corpus folder is written by another process (or cannot be locked because it is read-only)."""


class CorpusWriterLock:
    """The exclusive writer lock of a corpus folder, held from `acquire` until `release` (or process exit)."""

    def __init__(self, corpus_dir: Path) -> None:
        self.path = Path(corpus_dir) / LOCK_FILE
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock now or raise CorpusLockedError (never waits)."""
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise CorpusLockedError(
                    f"the corpus folder {self.path.parent} is read-only ({exc.strerror}): admin changes are off"
                ) from exc
            raise
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = _read(fd) or "another process"
            os.close(fd)
            raise CorpusLockedError(
                f"the corpus folder {self.path.parent} is written by another gongbao server ({holder}); a corpus "
                "folder has one writer: send admin changes to that server (see README, 'Several replicas')"
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:  # an app that was made but never served must not keep the folder locked
        self.release()


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode(errors="replace").strip()
    except OSError:
        return ""
