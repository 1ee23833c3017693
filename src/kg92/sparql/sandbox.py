"""The query worker's OS sandbox: after the store is open, the process can no longer create a network socket.

A seccomp-BPF filter (Linux ≥ 3.17, unprivileged thanks to ``PR_SET_NO_NEW_PRIVS``), installed with
``SECCOMP_FILTER_FLAG_TSYNC`` so that every thread of the process (RocksDB's too) is covered, and inherited by any
child: ``socket()`` of any family but ``AF_UNIX`` fails with ``EACCES`` (the worker's pipe to the server is an
``AF_UNIX`` socket pair made before), ``io_uring_setup`` too (io_uring can create sockets without the syscall);
a syscall of another ABI (x32, i386) kills the process. So ``SERVICE`` — or any other way pyoxigraph might one day
reach the network — fails inside the engine, whatever the query text looks like.

:func:`install` raises :class:`SandboxError` where this is impossible (not Linux, another architecture, seccomp
disabled); the worker then refuses to start unless ``allow_unsandboxed_queries`` accepts the risk, and
:func:`probe` lets the server refuse to start at all.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
import socket
import subprocess
import sys

SECCOMP = "seccomp: no network sockets"           # what /-/health reports when the filter is on
NONE = "none (allow_unsandboxed_queries)"

_PR_SET_NO_NEW_PRIVS, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 38, 1, 1
_RET_KILL_PROCESS, _RET_ALLOW, _RET_ERRNO = 0x80000000, 0x7FFF0000, 0x00050000
_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
# machine → (AUDIT_ARCH, seccomp syscall, socket, io_uring_setup)
_ARCH = {"x86_64": (0xC000003E, 317, 41, 425), "aarch64": (0xC00000B7, 277, 198, 425)}
_X32_BIT = 0x40000000


class SandboxError(OSError):
    """The sandbox cannot be installed in this process."""


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def program(machine: str) -> list[tuple[int, int, int, int]]:
    """The BPF program (code, jt, jf, k) for ``machine``; jumps are relative to the next instruction."""
    audit_arch, _, nr_socket, nr_io_uring = _ARCH[machine]
    deny = _RET_ERRNO | errno.EACCES
    return [
        (_LD_ABS, 0, 0, 4),                          # 0: seccomp_data.arch
        (_JEQ, 1, 0, audit_arch),                    # 1: our ABI → 3
        (_RET, 0, 0, _RET_KILL_PROCESS),             # 2: another ABI: kill
        (_LD_ABS, 0, 0, 0),                          # 3: seccomp_data.nr
        (_JGE, 5, 0, _X32_BIT),                      # 4: x32 syscall → deny (10)
        (_JEQ, 4, 0, nr_io_uring),                   # 5: io_uring_setup → deny (10)
        (_JEQ, 0, 2, nr_socket),                     # 6: not socket() → allow (9)
        (_LD_ABS, 0, 0, 16),                         # 7: args[0], the family (low 32 bits)
        (_JEQ, 0, 1, socket.AF_UNIX),                # 8: AF_UNIX → allow (9), else deny (10)
        (_RET, 0, 0, _RET_ALLOW),                    # 9
        (_RET, 0, 0, deny),                          # 10
    ]


def install() -> str:
    """Install the filter on every thread of this process (irreversible); returns what /-/health reports."""
    machine = platform.machine()
    if sys.platform != "linux" or machine not in _ARCH:
        raise SandboxError(f"no seccomp sandbox on {sys.platform}/{machine} (Linux x86_64 or aarch64 only)")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(PR_SET_NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}")
    code = program(machine)
    filters = (_Filter * len(code))(*(_Filter(*op) for op in code))
    prog = _Program(len(code), filters)
    libc.syscall.restype = ctypes.c_long
    rc = libc.syscall(ctypes.c_long(_ARCH[machine][1]), ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
                      ctypes.c_long(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(prog))
    if rc != 0:
        reason = os.strerror(ctypes.get_errno()) if rc < 0 else f"thread {rc} could not be synchronised"
        raise SandboxError(f"seccomp(SECCOMP_SET_MODE_FILTER) failed: {reason}")
    return SECCOMP


def network_blocked() -> bool:
    """True when this process cannot create an AF_INET socket (the sandbox is on)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False


@functools.lru_cache(maxsize=1)
def probe() -> str:
    """Install the filter in a throw-away child process: "" when it works, else why not (once per process)."""
    code = ("import sys; from kg92.sparql import sandbox\n"
            "try: sandbox.install()\nexcept sandbox.SandboxError as e: print(e); sys.exit(1)\n"
            "sys.exit(0 if sandbox.network_blocked() else 2)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    if proc.returncode == 0:
        return ""
    return proc.stdout.strip() or f"the sandbox probe exited with code {proc.returncode}: {proc.stderr.strip()[-300:]}"

