"""A pool of query worker processes the server can kill.

A query abandoned by a thread keeps its core and memory (a cartesian count ran a minute past its
504; six such filled the executor and every later query timed out), and an engine that crashes
takes the whole process with it. So each SPARQL or Cypher query runs in a worker process
(``engines.serve``): past its timeout the worker is killed and replaced, a worker that dies is
replaced and its request answered with an error, and when every worker is busy a new query waits
``queue_wait`` seconds at most, then gets 503. Workers are forked from a forkserver that has
already imported the engines, so a replacement is ready in a fraction of a second.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from policygraph.api.engines import Answer, Job, WorkerConfig, serve

_START_SECONDS = 120  # a worker's start: imports, rdflib's grammar


class PoolBusy(Exception):
    """Every worker stayed busy for the whole wait."""


class _Worker:
    def __init__(self, context, config: WorkerConfig) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=serve, args=(child, config), daemon=True, name="policygraph-query")
        self.process.start()
        child.close()

    def ready(self) -> _Worker:
        """This worker once it has warmed up; raises when it does not."""
        if not self.conn.poll(_START_SECONDS) or self.conn.recv() != "ready":
            self.kill()
            raise RuntimeError(f"a query worker did not start (exit code {self.process.exitcode})")
        return self

    def ask(self, job: Job, timeout: float) -> Answer | None:
        """The worker's answer, or None when it is still working after ``timeout`` seconds. Raises
        EOFError/OSError when the worker died."""
        self.conn.send(job)
        if not self.conn.poll(timeout):
            return None
        answer = self.conn.recv()
        if not isinstance(answer, Answer):
            raise EOFError("unexpected message from a query worker")
        return answer

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    def __init__(self, size: int, queue_wait: float, config: WorkerConfig | None = None) -> None:
        self.size, self.queue_wait = size, queue_wait
        self.config = config or WorkerConfig()
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["policygraph.api.engines"])
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="policygraph-query")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.replaced = 0  # workers killed or lost and started anew, for /health

    def start(self) -> None:
        """Start every worker, all warming up at once; raises when one cannot start, so a broken install
        fails at once."""
        starting = [self._spawn() for _ in range(self.size)]
        for worker in starting:
            self._idle.put_nowait(worker.ready())

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.config)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        """Kill ``worker`` and start its replacement on a thread of its own, so the request that lost
        the worker is answered at once; the new worker joins the pool when it is ready (if even that
        fails, the pool goes on with fewer)."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.replaced += 1

        def replace() -> None:
            try:
                fresh = self._spawn().ready()
            except Exception as exc:  # fork refused, out of memory …
                print(f"policygraph: could not replace a query worker: {exc}", file=sys.stderr)
                return
            loop.call_soon_threadsafe(self._idle.put_nowait, fresh)

        threading.Thread(target=replace, name="policygraph-respawn", daemon=True).start()

    @property
    def idle(self) -> int:
        return self._idle.qsize()

    async def run(self, job: Job) -> Answer:
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except TimeoutError as exc:
            raise PoolBusy(
                f"all {self.size} query workers stayed busy for {self.queue_wait:g} s; retry in a moment"
            ) from exc
        loop = asyncio.get_running_loop()
        # Shielded: a client that goes away must not leave the worker out of the pool.
        return await asyncio.shield(loop.run_in_executor(self._threads, self._ask, worker, job, loop))

    def _ask(self, worker: _Worker, job: Job, loop: asyncio.AbstractEventLoop) -> Answer:
        """In a thread: the job on ``worker``; whatever happens, the worker or its replacement goes
        back to the pool."""
        if not worker.process.is_alive():  # died while idle: not this query's fault, but it must wait
            self._retire(worker, loop)
            return Answer.error(503, "a query worker was being replaced; retry in a moment")
        try:
            answer = worker.ask(job, job.timeout)
        except (EOFError, OSError):
            code = worker.process.exitcode
            self._retire(worker, loop)
            cause = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
            print(f"policygraph: a query worker died ({cause}) on: {job.text[:200]!r}", file=sys.stderr)
            return Answer.error(500, f"the query engine crashed ({cause}); its worker was replaced")
        if answer is None:
            self._retire(worker, loop)
            return Answer.error(504, f"the query ran longer than {job.timeout:g} s and was stopped")
        loop.call_soon_threadsafe(self._idle.put_nowait, worker)
        return answer

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)
