"""The server's own small files (the daily count of live calls, the audit trail): where they live
and how several sessions, threads and processes change them without losing a write.

``KYC_STATE_DIR`` names the folder; without it, ``$XDG_STATE_HOME/kyc-studio`` (by default
``~/.local/state/kyc-studio``). Each change holds an exclusive ``flock`` on a lock file beside
the data: flock locks belong to an open file, so two threads of one process that each open
the lock file exclude each other as two processes do.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

ENV_VAR = "KYC_STATE_DIR"


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder for the server's state: ``KYC_STATE_DIR``, else the XDG state folder."""
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR, "").strip():
        return Path(env[ENV_VAR].strip()).expanduser()
    base = env.get("XDG_STATE_HOME", "").strip() or str(Path.home() / ".local" / "state")
    return Path(base) / "kyc-studio"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file (``path`` + ".lock") for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: a reader sees the old file or the new, never half."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def append_line(path: Path, line: str) -> None:
    """Add one line to ``path`` (created if needed), under the lock, in a single write."""
    with locked(path), open(path, "a", encoding="utf-8") as out:
        out.write(line.rstrip("\n") + "\n")
        out.flush()
        os.fsync(out.fileno())
