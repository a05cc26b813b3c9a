"""A function run in a forked child process, which dies with its parent.

``build`` runs two stages this way beside its own work: the alignment (all Python: a second core),
and the embedded Cypher store, because LadybugDB throws a C++ exception from a destructor when it
cannot write its log (a full disk), which aborts the whole process (SIGABRT) past any handler; in a
child the abort is the child's, and the build says what happened in one line. Forked, so the
documents are neither copied nor pickled on the way in; only the result comes back, through a pipe.
The child's stderr goes to a file, which becomes part of the error rather than lines of its own.

A build killed with SIGKILL must not leave a child behind, blocked for ever on the result pipe
(whose reading end the child inherited): each child asks the kernel for SIGKILL when its parent
dies (``PR_SET_PDEATHSIG``, Linux), and the parent kills a child still running when it leaves.
Children are not daemonic, so that a child may fork children of its own (the alignment, forked by
``build``, splits its neighbour search over the cores).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import re
import signal
import tempfile
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from policygraph.errors import PolicygraphError

Result = TypeVar("Result")
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Forked(Generic[Result]):
    """``call(*args)`` in a forked child, started at once; ``result()`` waits for it. Fork before
    starting threads: the child gets a copy of this process with only the forking thread."""

    def __init__(self, what: str, call: Callable[..., Result], *args: Any) -> None:
        self.what = what
        context = multiprocessing.get_context("fork")
        self._said = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__, after the child)
        self._answer, answer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child, args=(call, args, answer, self._said.fileno(), os.getpid()), daemon=False, name=what
        )
        self._process.start()
        answer.close()

    def __enter__(self) -> Forked[Result]:
        return self

    def __exit__(self, *failed: object) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._answer.close()
        self._said.close()

    def result(self) -> Result:
        """The child's return value. A child that ran out of memory is a PolicygraphError (one line
        for the person building, who can act on it); any other failure a RuntimeError naming ``what``
        with the child's error and stderr (a bug: its traceback is wanted)."""
        try:
            outcome = self._answer.recv()
        except EOFError:  # it died without a word (an abort, a kill)
            outcome = ("failed", "")
        self._process.join()
        if outcome[0] == "done" and self._process.exitcode == 0:
            return outcome[1]
        self._said.seek(0)
        said = " ".join(self._said.read().decode("utf-8", "replace").split())
        details = "; ".join(part for part in (outcome[1], said) if part) or f"exit code {self._process.exitcode}"
        # out of memory: Python's MemoryError, an engine's failed reservation (LadybugDB maps its
        # largest size at once: ulimit -v refuses it), or the kernel's SIGKILL
        refused = details.startswith("MemoryError") or re.search(
            r"Mmap for size \d+ failed|Cannot allocate memory", details
        )
        if refused or self._process.exitcode == -signal.SIGKILL:
            cause = "ran out of memory" if refused else "was killed (most often for memory)"
            raise PolicygraphError(
                f"{self.what} {cause}: {details}; give it more memory, or build fewer documents into one folder"
            )
        raise RuntimeError(f"{self.what} failed: {details}")


def _child(call: Callable[..., Any], args: tuple, answer: Connection, said: int, parent: int) -> None:
    """On failure the child leaves with ``os._exit`` at once: objects still referenced by the
    traceback are then never destroyed (a store's destructor is what may abort). A parent killed
    between the fork and ``die_with_parent`` sends no signal: the child sees it has a new parent
    and leaves."""
    os.dup2(said, 2)
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)
    try:
        result = call(*args)
    except BaseException as exc:
        answer.send(("failed", f"{exc.__class__.__name__}: {exc}"))
        os._exit(1)
    answer.send(("done", result))


def workers(items: int, from_items: int) -> int:
    """How many cores to split ``items`` over: one below ``from_items`` (forking costs more than it
    saves), else every core (at most 8)."""
    return min(os.cpu_count() or 1, 8) if items >= from_items else 1


def spread(what: str, call: Callable[[Any], Result], shares: Sequence[Any]) -> list[Result]:
    """``call(share)`` for each share, the first here and each other one in a forked child at the
    same time (what the children need is inherited copy-on-write; only their results travel)."""
    with contextlib.ExitStack() as stack:
        children = [stack.enter_context(Forked(what, call, share)) for share in shares[1:]]
        return [call(shares[0]), *(child.result() for child in children)]
