"""Worker processes for the stages that use every core (layout: pages; extract: runs of blocks).

Ctrl-C is the main process's business alone. A terminal sends SIGINT to every process of the
foreground group, workers included; a worker that took it would print its own traceback (a spawned
worker spends its first second importing), and a pool whose workers die one by one while the main
process shuts it down can hang. So:

- workers ignore SIGINT from their first instruction: the main process sets SIGINT to "ignore" while
  it starts one, and an ignored signal stays ignored across exec. The price: a press in those few
  milliseconds is lost (the signal cannot be held back instead: blocked in the main thread, it is
  delivered to another thread, and ignored there);
- when the main process stops the pool for any reason, it cancels what has not started and terminates
  the workers, within ``STOP_TIMEOUT_S`` (``cli.main`` takes care that a second press does not cut this
  cleanup short).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import SpawnContext, SpawnProcess

# Seconds a terminated worker is given to exit before it is killed.
STOP_TIMEOUT_S = 0.5


class _WorkerProcess(SpawnProcess):
    """A spawned process that ignores SIGINT from its start (the disposition is inherited)."""

    def start(self) -> None:
        if threading.current_thread() is not threading.main_thread():  # signal.signal needs the main thread
            super().start()
            return
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            super().start()
        finally:
            signal.signal(signal.SIGINT, previous)


class _WorkerContext(SpawnContext):
    Process = _WorkerProcess


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    """In the worker: make sure SIGINT stays ignored, then the caller's initializer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def process_pool(jobs: int, initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` spawned worker processes (spawned, not forked: pdfminer, spaCy and tqdm's
    threads do not survive a fork) that ignore Ctrl-C.

    When the block fails (a page that cannot be read, Ctrl-C), the tasks not yet started are cancelled
    and the workers terminated: a plain ``with ProcessPoolExecutor()`` runs every queued task before the
    error reaches the user.
    """
    pool = ProcessPoolExecutor(
        jobs, mp_context=_WorkerContext(), initializer=_start_worker, initargs=(initializer, initargs)
    )
    try:
        yield pool
    except BaseException:
        stop(pool)
        raise
    pool.shutdown()


def stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the pool's queued tasks and end its workers now."""
    known = list((getattr(pool, "_processes", None) or {}).values())
    # and a worker whose start a Ctrl-C cut short before the pool recorded it: left running, the
    # interpreter would wait for it at exit (multiprocessing joins its live children)
    processes = known + [
        p for p in multiprocessing.active_children() if isinstance(p, _WorkerProcess) and p not in known
    ]
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it; joined at exit otherwise
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(STOP_TIMEOUT_S)
        if process.is_alive():
            process.kill()
            process.join(STOP_TIMEOUT_S)
    if manager is not None:
        manager.join(STOP_TIMEOUT_S)
