"""A batch of inputs: which files are documents, and extracting each one alone, on a budget.

A batch is often a folder someone else filled. One file in it must never cost the rest: a file that
is slow or greedy to parse (nested tables, a zip bomb, a parser's bad case), or that kills the process
reading it, fails by itself with one line naming it, and every other document still comes out. So
every file is extracted in a worker process (``pebble``'s pool: each task has its own timeout, a stuck
worker is killed and replaced, a dead worker fails only the task it was running), under a time and a
memory budget that grow with the file's size.

The folder walk says what it leaves out and why (``skipped: PATH: reason``): an unreadable folder,
a symlink loop, a FIFO or device named like a document. Only regular files are ever opened.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import re
import resource
import signal
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, TimeoutError as FutureTimeout, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import PolicygraphError, shown
from policygraph.ingest.extract import extract_file_with_text, extract_text
from policygraph.ingest.readers import OUT_OF_SCOPE, SUPPORTED, file_kind
from policygraph.model import Document

Report = Callable[[str], None]
Extracted = tuple[Document, str]

_NOT_DOCUMENTS = ("README", "SOURCES", "LICENSE", "CHANGELOG")
_WANTED = frozenset(SUPPORTED) | frozenset(OUT_OF_SCOPE)


# --- budgets --------------------------------------------------------------------------------------

_BUDGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:\+\s*(\d+(?:\.\d+)?)\s*/\s*MB)?\s*$", re.I)


@dataclass(frozen=True)
class Budget:
    """What one file may take: ``base + per_mb * its size in MB`` (seconds, or MB of memory).

    It grows with the size so that one setting both stops a small file that blows up and lets a
    large honest one through (the 52 MB test document takes about 2 minutes and 900 MB)."""

    base: float
    per_mb: float = 0.0

    def for_size(self, size: int) -> float:
        return self.base + self.per_mb * size / 2**20

    @classmethod
    def parse(cls, text: str) -> Budget | None:
        """``60``, ``60+20/MB``; ``none`` for no limit. Raises ValueError with the accepted forms."""
        if text.strip().lower() in ("none", "off"):
            return None
        match = _BUDGET.match(text)
        if match is None:
            raise ValueError(f"{text!r}: give BASE or BASE+PER/MB (for example 60+20/MB), or none")
        return cls(float(match.group(1)), float(match.group(2) or 0))

    def __str__(self) -> str:
        return f"{self.base:g}+{self.per_mb:g}/MB" if self.per_mb else f"{self.base:g}"


TIME_BUDGET = "60+20/MB"  # wall seconds; the 52 MB test document: 124-245 s (by machine load) of the 1,060 s it gets
MEMORY_BUDGET = "512+25/MB"  # MB of address space; the 52 MB test document: ~870 MB of the 1,760 MB it gets
TIME_BUDGET_ENV = "POLICYGRAPH_TIME_BUDGET"
MEMORY_BUDGET_ENV = "POLICYGRAPH_MEMORY_BUDGET"


# --- which files ----------------------------------------------------------------------------------


def find_inputs(paths: list[str], report: Report) -> list[Path]:
    """Files named, and the documents inside folders, sorted (a folder's README/SOURCES notes are not
    documents). What a folder holds but is left out is reported, one ``skipped:`` line each.

    A named file is passed on as it is: if it cannot be read (missing, a FIFO, a device), its reader
    says so as an error, since it was asked for by name."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        try:
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_folder = False
        if is_folder:
            found.extend(sorted(_walk(path, report)))
        else:
            found.append(path)
    return found


def _is_document_name(name: str) -> bool:
    return Path(name).suffix.lower() in _WANTED and not name.upper().startswith(_NOT_DOCUMENTS)


def _walk(root: Path, report: Report) -> list[Path]:
    """The document files under ``root``, without recursion and without following symlinked folders.

    Symlinked folders are not followed (as before: they would read the same documents twice, and
    one pointing up the tree never ends); each is reported, as a loop when it leads back to a folder
    above it. A folder met again through a bind mount is a loop too."""
    found: list[Path] = []
    top = os.stat(root)
    stack: list[tuple[Path, dict[tuple[int, int], Path]]] = [(root, {(top.st_dev, top.st_ino): root})]
    while stack:
        folder, above = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            report(f"skipped: {shown(folder)}: cannot read the folder ({exc.strerror or exc})")
            continue
        folders: list[tuple[Path, dict[tuple[int, int], Path]]] = []
        for entry in entries:
            path = Path(entry.path)
            try:
                link = entry.is_symlink()
                target = os.stat(path)  # follows symlinks
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    report(f"skipped: {shown(path)}: symlink loop ({exc.strerror})")
                elif _is_document_name(entry.name):
                    reason = "broken symlink" if link else f"cannot read ({exc.strerror or exc})"
                    report(f"skipped: {shown(path)}: {reason}")
                continue
            key = (target.st_dev, target.st_ino)
            if stat.S_ISDIR(target.st_mode):
                if key in above:
                    how = "symlink" if link else "folder mounted inside itself"
                    report(f"skipped: {shown(path)}: {how} loop (leads back to {shown(above[key])})")
                elif link:
                    report(f"skipped: {shown(path)}: symlink to a folder, not followed (name the folder to read it)")
                else:
                    folders.append((path, {**above, key: path}))
            elif not _is_document_name(entry.name):
                continue
            elif stat.S_ISREG(target.st_mode):
                found.append(path)
            else:
                via = f" (through a symlink to {shown(os.readlink(path))})" if link else ""
                report(f"skipped: {shown(path)}: {file_kind(target.st_mode)}{via}, not a regular file")
        stack.extend(reversed(folders))  # popped in name order
    return found


# --- extracting, one worker process per file at a time ---------------------------------------------


DEFAULT_TIME = Budget.parse(TIME_BUDGET)
DEFAULT_MEMORY = Budget.parse(MEMORY_BUDGET)


def extract_paths(
    paths: Sequence[str | Path],
    time_budget: Budget | None = DEFAULT_TIME,
    memory_budget: Budget | None = DEFAULT_MEMORY,
    progress: Report = lambda _: None,
) -> tuple[list[Extracted], int]:
    """Every input document (files named, and the documents inside folders) with its decoded text,
    each extracted in a worker process on all cores within its budgets; what a folder leaves out and
    every file that fails are said through ``progress``, and the batch goes on. Returns the documents
    and the number that failed."""
    return extract_batch(find_inputs([str(p) for p in paths], progress), time_budget, memory_budget, report=progress)


def extract_batch(
    inputs: list[Path], time_budget: Budget | None, memory_budget: Budget | None, report: Report
) -> tuple[list[Extracted], int]:
    """Every input's document with its text, in input order, and how many failed (see ``extract_each``)."""
    each = extract_each(inputs, time_budget, memory_budget, report)
    extracted = [result for result in each if result is not None]
    return extracted, len(each) - len(extracted)


def extract_each(
    inputs: list[Path], time_budget: Budget | None, memory_budget: Budget | None, report: Report
) -> list[Extracted | None]:
    """Each input's document with its text, or None where it failed: each failure is reported (in
    input order, after the batch) as one ``error: PATH: reason`` line.

    Every file goes through the pool, even a single one: the budgets can only be enforced on
    another process (a timer cannot interrupt a parser inside C code, and a memory limit set on this
    process would stay). Forking a worker costs milliseconds; the pool and its threads are gone
    when this returns, so ``build`` can fork its alignment process afterwards."""
    if not inputs:
        return []
    _warm_up(inputs)
    results: dict[int, Extracted | str] = {}
    deaths = dict.fromkeys(range(len(inputs)), 0)
    pending = list(range(len(inputs)))
    for _ in range(3):  # a pool that breaks as a whole (all workers gone at once) is started again
        if not pending:
            break
        pending = _run_pool(inputs, pending, time_budget, memory_budget, results, deaths)
    for index in pending:
        results[index] = f"error: {shown(inputs[index])}: not extracted: the worker pool kept breaking"
    for _, result in sorted(results.items()):
        if isinstance(result, str):
            report(result)
    return [None if isinstance(result, str) else result for _, result in sorted(results.items())]


def _run_pool(
    inputs: list[Path],
    indices: list[int],
    time_budget: Budget | None,
    memory_budget: Budget | None,
    results: dict[int, Extracted | str],
    deaths: dict[int, int],
) -> list[int]:
    """Run ``indices`` in one pool, filling ``results``; the indices left when the pool broke."""
    from pebble import ProcessExpired, ProcessPool

    sizes = {index: _size(inputs[index]) for index in indices}

    def seconds(index: int) -> float | None:
        return time_budget.for_size(sizes[index]) if time_budget else None

    def task(index: int) -> tuple[Path, int | None, str]:
        memory = int(memory_budget.for_size(sizes[index]) * 2**20) if memory_budget else None
        return inputs[index], memory, str(memory_budget)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = max(1, min(len(indices), cores))
    # fork: a worker starts in milliseconds with the extractor already imported
    pool = ProcessPool(max_workers=workers, context=multiprocessing.get_context("fork"))
    futures: dict[Future, int] = {}
    broken: list[int] = []
    try:
        for index in sorted(indices, key=lambda index: -sizes[index]):  # largest first: no long file left for last
            futures[pool.schedule(_extract_one, task(index), timeout=seconds(index))] = index
        while futures:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                index = futures.pop(future)
                name = shown(inputs[index])
                try:
                    results[index] = future.result()
                except FutureTimeout:
                    results[index] = (
                        f"error: {name}: took longer than its time budget of {seconds(index):,.0f} s "
                        f"(--time-budget {time_budget}); stopped"
                    )
                except ProcessExpired as exc:
                    deaths[index] += 1
                    if deaths[index] < 2:  # once may be a neighbour's fault (the OOM killer picks the largest)
                        futures[pool.schedule(_extract_one, task(index), timeout=seconds(index))] = index
                    else:
                        results[index] = f"error: {name}: the process extracting it died twice ({_death(exc)})"
                except (BrokenProcessPool, CancelledError, RuntimeError):
                    broken.append(index)
                except Exception as exc:  # e.g. a result that could not be sent back
                    results[index] = f"error: {name}: internal error while extracting ({exc.__class__.__name__}: {exc})"
    except RuntimeError:  # schedule() on a pool that broke: start another for what is left
        broken.extend(indices)
    finally:
        pool.stop()  # every task is done (or abandoned on an interrupt): end the workers now
        pool.join()
    return sorted(set(broken) - set(results))


_WARM_UP = "某县人民政府关于印发实施方案的通知\n一、重点任务\n1．扩大养老床位。（牵头单位：县民政局）\n"


def _warm_up(inputs: list[Path]) -> None:
    """Load here, once, what the extractor loads on first use (tables, compiled patterns: 0.3 s) and
    the readers the batch needs, so every forked worker starts with them instead of loading its own."""
    extract_text("warm-up.txt", _WARM_UP)
    suffixes = {path.suffix.lower() for path in inputs}
    if suffixes & {".html", ".htm"}:
        import bs4  # noqa: F401
    if ".docx" in suffixes:
        import docx  # noqa: F401
    if ".pdf" in suffixes:
        import pdfplumber  # noqa: F401


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _death(exc: Exception) -> str:
    code = getattr(exc, "exitcode", None)
    if isinstance(code, int) and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _extract_one(path: Path, memory: int | None, setting: str) -> Extracted | str:
    """In a worker: one file's document and text, or its one-line error.

    The memory budget is a limit on the address space this process may add while it reads the file
    (RLIMIT_AS, relative to what the worker already holds, so a fork of a large parent is not
    charged for the parent); going over it raises MemoryError, reported as such. The limit is lifted
    as soon as the extraction ends, before any error is handled: the handler needs memory too (the
    failed extraction's frames still hold theirs), and the result must be sent back."""
    previous = resource.getrlimit(resource.RLIMIT_AS)
    if memory is not None:
        limit = _address_space() + memory
        if previous[1] != resource.RLIM_INFINITY:
            limit = min(limit, previous[1])
        resource.setrlimit(resource.RLIMIT_AS, (limit, previous[1]))
    try:
        try:
            return extract_file_with_text(path)
        finally:
            resource.setrlimit(resource.RLIMIT_AS, previous)
    except PolicygraphError as exc:
        return f"error: {exc}"
    except MemoryError:
        mb = (memory or 0) / 2**20
        return (
            f"error: {shown(path)}: needed more than its memory budget of {mb:,.0f} MB "
            f"(--memory-budget {setting}); stopped"
        )
    except Exception as exc:  # a parser bug must not lose the rest of the batch
        return f"error: {shown(path)}: internal error while extracting ({exc.__class__.__name__}: {exc})"


def _address_space() -> int:
    """Bytes of address space this process has mapped now (VmSize)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
