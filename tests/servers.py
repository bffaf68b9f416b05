"""Real servers for integration tests: a free port on the loopback, and a process run until it answers."""
from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

__all__ = ["free_port", "serving"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(cmd: list[str], probe: str, *, what: str, ready: Callable = lambda r: r.status_code == 200,
            timeout: float = 60) -> Iterator[subprocess.Popen]:
    """Run ``cmd`` until a GET of ``probe`` gets a response that ``ready`` accepts; stop the process afterwards.

    The test fails (with the end of the process's stderr) when the process exits or does not answer in time.
    """
    import httpx

    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if ready(httpx.get(probe, timeout=2)):
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"{what} did not start: {proc.communicate()[1][-2000:]}")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
