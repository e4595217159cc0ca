"""A real browser against the live server, for the pages that work offline: a gate that can
cut the server off, and waits on what the page does. Shared by every app's browser tests (the
walk's field page, the shift report's); the `browser` fixture is in trygg/conftest.py."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

WAIT_MS = 30_000


class Gate:
    """A TCP forwarder in front of the live server that can be shut: shut, it accepts each
    connection and closes it at once (and cuts the ones open), so the server is unreachable."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_open = True
        self.refused = 0
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # the listener was closed
            if not self.is_open:
                self.refused += 1
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            self._drop(source, sink)

    def _drop(self, *ends: socket.socket) -> None:
        with self.lock:
            for end in ends:
                self.sockets.discard(end)
                with contextlib.suppress(OSError):
                    # shutdown, not only close: it wakes the pump blocked in recv() on this
                    # socket and tells the other side (browser or server) at once.
                    end.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    end.close()

    def shut(self) -> None:
        self.is_open = False
        with self.lock:
            ends = list(self.sockets)
        self._drop(*ends)

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.shut()
        self.listener.close()


def wait_until(page, check: str) -> None:
    """Poll a check (a function, maybe async) in the page until it is true. (wait_for_function
    would take the promise an async function returns as true at once, and it evaluates a string
    in the page, which the Content-Security-Policy refuses: no 'unsafe-eval'.)"""
    deadline = time.monotonic() + WAIT_MS / 1000
    while not page.evaluate(check):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {WAIT_MS} ms: {check}")
        page.wait_for_timeout(100)


def wait_for_answers(page, answers: list[int], count: int) -> None:
    """Let the browser run (its events reach `answers`) until `count` answers have come."""
    for _ in range(WAIT_MS // 100):
        if len(answers) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{len(answers)} answers from the server, expected {count}")
