"""One call in a killable child process, with a deadline and a memory limit (POST /validate's hard stop).

pySHACL, like pyoxigraph, cannot be interrupted from outside: a thread that runs it runs to the end, after the
client has gone. So the call runs in a child *process* started for it (``forkserver`` context, ``spawn`` where
unavailable, never a bare ``fork`` of a threaded server); at the deadline the parent kills it (SIGKILL: the work
really stops), reaps it and raises :class:`Deadline`. The child's data segment is capped (``RLIMIT_DATA``): an
allocation beyond it fails in the child, which is reported as :class:`Died`, never as a server crash.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import signal
from collections.abc import Callable
from typing import Any

log = logging.getLogger("kg92.isolated")
CONTEXT = multiprocessing.get_context(
    "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")


class Deadline(Exception):
    """The call did not finish in time; its process was killed."""


class Died(Exception):
    """The child process ended without an answer (memory limit, crash)."""


def _child(conn, memory_mb: int, fn: Callable, kwargs: dict[str, Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the server decides when its children stop
    if memory_mb > 0:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    try:
        conn.send(("ok", fn(**kwargs)))
    except MemoryError:
        conn.send(("died", f"out of memory (limit {memory_mb} MiB)"))
    except Exception as exc:   # noqa: BLE001 - sent back and raised again in the parent, which maps it
        conn.send(("raised", exc))


def _ending(code: int | None) -> str:
    """``killed by SIGABRT`` for a negative exit code (an allocation beyond the limit aborts), else the code."""
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"


def run(fn: Callable, kwargs: dict[str, Any], timeout: float, memory_mb: int = 0, name: str = "kg92-isolated") -> Any:
    """``fn(**kwargs)`` in a child process: its result, or the exception it raised; :class:`Deadline` after
    ``timeout`` seconds (start-up included), :class:`Died` when the child ends without answering. ``fn``, its
    arguments and its result must pickle (``fn`` at module level)."""
    receiver, sender = CONTEXT.Pipe(duplex=False)
    proc = CONTEXT.Process(target=_child, args=(sender, memory_mb, fn, kwargs), name=name, daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            log.warning("%s (pid %d) killed at its deadline of %s s", name, proc.pid, timeout)
            raise Deadline(f"did not finish within {timeout:g} s")
        kind, value = receiver.recv()
    except EOFError:
        proc.join()
        raise Died(f"the process ended without an answer ({_ending(proc.exitcode)})") from None
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if kind == "raised":
        raise value
    if kind == "died":
        raise Died(value)
    return value
