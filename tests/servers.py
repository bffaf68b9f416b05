"""Real servers for integration tests: a free port on the loopback, and a process run until it answers."""
from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

__all__ = ["free_port", "serving", "listening", "smuggled_service_queries"]


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


@contextmanager
def listening() -> Iterator[tuple[int, list]]:
    """A TCP listener on 127.0.0.1 that records every connection made to it: yields ``(port, hits)``.

    ``hits`` holds the first bytes each connection sent; a test that must not reach the network asserts it is empty
    after the block (the listener keeps accepting until the block ends).
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    hits: list = []
    done = threading.Event()

    def accept():
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    hits.append(conn.recv(200))
                except OSError:
                    hits.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], hits
        time.sleep(0.3)  # a request sent at the end of the block still counts
    finally:
        done.set()
        thread.join(2)
        listener.close()


def smuggled_service_queries(port: int) -> list[str]:
    """SERVICE clauses to a local port hidden from a screen that ends comments only at LF (Oxigraph also ends them
    at CR): a bare CR, CR LF, and the same inside an ASK and a CONSTRUCT."""
    target = f"<http://127.0.0.1:{port}/x>"
    return [
        f"SELECT * WHERE {{ #\rSERVICE {target} {{ ?s ?p ?o }}\n}}",
        f"SELECT * WHERE {{ # note\r SERVICE SILENT {target} {{ ?s ?p ?o }}\n}}",
        f"ASK {{ #\rSERVICE {target} {{ ?s ?p ?o }}\n}}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ #\r\nSERVICE {target} {{ ?s ?p ?o }} }}",
    ]
