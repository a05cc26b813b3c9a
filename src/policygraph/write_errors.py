"""What went wrong when a build could not write its folder, said in one line.

A full disk, a full quota or a file-size limit mean the same to a person building: this build does
not fit. The stores' engines report it in their own ways (see ``write_failure``), so the cause is
found in the chain of errors and, failing that, in how full the device is.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """Name the file in a write error: Python's OSError from ``write`` carries no file name (only
    ``open``'s does), and a full disk is reported with the file it stopped at."""
    try:
        yield
    except OSError as exc:
        # a store engine's error (RocksDB's, no errno) is not about this file, and its message, which
        # a file name would replace, is what tells its cause
        if exc.filename is None and exc.errno is not None:
            exc.filename = str(path)
        raise


SPACE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # a full disk, a full quota, a file-size limit
SPACE_FREE_BYTES = 1 << 20  # below this the device counts as full when an engine's I/O error names no cause


def write_failure(exc: BaseException, out: Path) -> str | None:
    """What went wrong as a phrase for one line (``no space left on device while writing
    gen-000002/sparql/000043.sst``), or None for a failure that is not about writing (a bug, which
    should show its traceback).

    Python's writes raise OSError with an errno; the stores' engines raise their own errors (RocksDB
    through pyoxigraph an OSError without errno, LadybugDB a RuntimeError), whose messages carry the
    C library's text (``No space left on device``) and usually the file. Some LadybugDB paths name no
    cause (a failed read after a short write) or a wrong one (errno overwritten before it is read):
    an engine's I/O error is put down to space when the device holding the folder is (nearly) full,
    and is otherwise reported as it is, on one line. ENOSPC, EDQUOT and EFBIG mean the same to a
    person building: this build does not fit."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = " ".join(str(e) for e in chain)
    code = next((e.errno for e in chain if isinstance(e, OSError) and e.errno in SPACE_ERRORS), None)
    code = code or next((c for c in SPACE_ERRORS if os.strerror(c).lower() in text.lower()), None)
    engine_io = re.search(r"\bI/?O (error|exception)\b", text, re.IGNORECASE) is not None
    if code is None and engine_io and (_fell_short(text) or shutil.disk_usage(out).free < SPACE_FREE_BYTES):
        code = errno.ENOSPC
    errored = next((e for e in chain if isinstance(e, OSError) and e.errno is not None), None)
    if code is None and errored is None and not engine_io:
        return None
    where = _written_file(chain, out)
    if code is not None:
        return f"{os.strerror(code).lower()} while writing {where} (free some space, or build into another --out)"
    if errored is not None:
        return f"{(errored.strerror or str(errored)).lower()} ({where})"
    said = " ".join(str(exc).split())
    return f"cannot write {where}: {said[:200]}{'…' if len(said) > 200 else ''}"


def _fell_short(text: str) -> bool:
    """LadybugDB's account of a write that fell short (fewer bytes written than asked, which on a
    regular file means the device is full or the file at its size limit), or of reading back a page
    of the store it is writing that is not there (a write before it fell short). Its message then
    often names the wrong cause: errno is read after other calls have overwritten it."""
    for asked, written in re.findall(r"numBytesToWrite: (\d+) numBytesWritten: (-?\d+)", text):
        if 0 <= int(written) < int(asked):
            return True
    return re.search(r"numBytesRead: 0 numBytesToRead: \d+", text) is not None


def _written_file(chain: list[BaseException], out: Path) -> str:
    """The file being written, relative to the folder, from the error itself (Python's ``filename``,
    or a path in an engine's message); else the folder."""
    for e in chain:
        named = getattr(e, "filename", None)
        if named:
            return _relative(Path(os.fsdecode(named)), out)
    for e in chain:
        found = re.search(re.escape(str(out)) + r"/[^\s:,;'\"]+", str(e))
        if found:
            return _relative(Path(found.group(0)), out)
    return str(out)


def _relative(path: Path, out: Path) -> str:
    try:
        return str(path.relative_to(out))
    except ValueError:
        return str(path)
