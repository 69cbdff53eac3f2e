"""Worker processes for the stages that use every core (layout: pages; extract: runs of blocks)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


@contextmanager
def process_pool(jobs: int, initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` spawned worker processes (spawned, not forked: pdfminer, spaCy and tqdm's
    threads do not survive a fork).

    When the block fails (a page that cannot be read, Ctrl-C), the tasks not yet started are cancelled:
    a plain ``with ProcessPoolExecutor()`` runs every queued task before the error reaches the user.
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=initializer, initargs=initargs)
    try:
        yield pool
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()
