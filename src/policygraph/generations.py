"""How ``build`` writes a folder that others may be reading, or that another build may want too.

Every build writes a complete new *generation* (``gen-000007/``) beside the one in use, then turns
the ``current`` symlink to it with one atomic rename. A server that reads the folder therefore sees
either the old generation or the new one, never a half-written store; a build killed half-way leaves
only an unreferenced directory, removed by the next build; a build that fails (a full disk) removes
its own at once (``discard``). The SPARQL store of the new generation
starts as a RocksDB checkpoint of the current one (hard links, no copy), so unchanged documents keep
their named graphs without being written again. An exclusive lock on ``.lock`` keeps a second
build out while one runs; the kernel drops it when the holder dies, so a killed build never leaves
the folder locked. It is a POSIX record lock (``lockf``), not ``flock``, because a forked child
does not inherit it: the build's alignment process, orphaned by a killed build, must not keep the
folder locked.

The folder's top level also holds symlinks through ``current`` (``documents.jsonl``, ``sparql``,
``graph.nq`` …), so people and scripts find the outputs where they always were; programs that read
several files at once should read them through ``folder.open_build(out)``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from policygraph.errors import PolicygraphError
from policygraph.folder import CURRENT, LOCK, in_use

_GENERATION = re.compile(r"gen-(\d{6})")


@contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold the folder's build lock, or fail at once naming the build that holds it."""
    handle = (out / LOCK).open("a+", encoding="utf-8")
    try:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise PolicygraphError(
                f"{out}: another build (pid {holder}) is writing this folder; wait for it to finish "
                "or build into another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


def _numbers(out: Path) -> dict[int, Path]:
    found = {}
    for path in out.iterdir():
        match = _GENERATION.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink():
            found[int(match.group(1))] = path
    return found


def start(out: Path) -> tuple[Path | None, Path]:
    """The generation in use (None on a first build) and a fresh directory for the next one.

    Directories left by killed builds, and generations older than the one in use, are removed here:
    the lock is held, and a server still reading an old generation reloads at its next request."""
    in_use_now = in_use(out) if (out / CURRENT).exists() else None
    numbers = _numbers(out)
    for path in numbers.values():
        if in_use_now is None or path.name != in_use_now.name:
            shutil.rmtree(path)
    fresh = out / f"gen-{max(numbers, default=0) + 1:06d}"
    fresh.mkdir()
    return in_use_now, fresh


def publish(out: Path, fresh: Path) -> None:
    """Make ``fresh`` the generation in use (atomically), then point the top-level links at it."""
    pending = out / f".{CURRENT}.{os.getpid()}"
    if pending.is_symlink():
        pending.unlink()
    pending.symlink_to(fresh.name)
    os.replace(pending, out / CURRENT)
    names = {p.name for p in fresh.iterdir()}
    for path in out.iterdir():
        ours = path.is_symlink() and os.readlink(path).startswith(f"{CURRENT}/")
        if path.name in names and not ours:  # a file or folder written by a build before generations existed
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        elif ours and path.name not in names:  # an output this build did not write (e.g. graph.ttl)
            path.unlink()
    for name in sorted(names):
        link = out / name
        if not link.is_symlink():
            link.symlink_to(f"{CURRENT}/{name}")


def discard(out: Path, fresh: Path) -> None:
    """Remove the generation a failed build was writing, unless it was published already (a failure
    after the ``current`` flip leaves a complete generation in use). Best effort: whatever cannot be
    removed now (a store's file still open, a disk that refuses even this) is an unreferenced
    directory, which the next build's ``start`` removes."""
    pending = out / f".{CURRENT}.{os.getpid()}"
    if pending.is_symlink():
        pending.unlink(missing_ok=True)
    if in_use(out) != fresh:
        shutil.rmtree(fresh, ignore_errors=True)
