"""A loopback TCP proxy that a test puts in front of a real server (PostgreSQL, Redis) and
then stalls or cuts, so faults are injected without ever touching the shared servers.

    with TcpProxy(6379) as proxy:
        url = f"redis://127.0.0.1:{proxy.port}/0"
        ...               # traffic flows
        proxy.stall()     # connections stay open, nothing moves either way
        proxy.cut()       # open connections are reset and new ones refused
        proxy.restore()   # traffic flows again
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from typing import Any


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.mode = "pass"  # "pass" | "stall" | "cut"
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._closed = False
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()

    # --- what a test does ---------------------------------------------------------------

    def stall(self) -> None:
        """Accept connections, but pass nothing on in either direction (a hung server)."""
        self.mode = "stall"

    def cut(self) -> None:
        """Reset every open connection and every new one at once (a server that is gone)."""
        self.mode = "cut"
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _reset(sock)

    def restore(self) -> None:
        self.mode = "pass"

    def close(self) -> None:
        self._closed = True
        self.cut()
        with contextlib.suppress(OSError):
            self._listener.close()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- the plumbing -------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            if self.mode == "cut":
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        try:
            while not self._closed and self.mode != "cut":
                if self.mode == "stall":
                    select.select([], [], [], 0.05)
                    continue
                readable, _, _ = select.select([a, b], [], [], 0.05)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):  # a socket closed by cut() under our feet
            return
        finally:
            _reset(a)
            _reset(b)


def _reset(sock: socket.socket) -> None:
    """Close with RST rather than FIN: the peer sees "connection reset", as when a server
    host dies or a firewall drops the connection."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()
