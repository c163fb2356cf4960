"""A raw-socket HTTP/1.1 server that answers with exact bytes: the hostile upstream.

Real servers normalise what they send; this one sends a body exactly as given, with
whatever (even lying) headers a case needs, so tests can check the proxy passes it on
byte for byte. Routes map a path (without query) to (status, headers, body).
"""

from __future__ import annotations

import hashlib
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

Route = tuple[int, list[tuple[str, str]], bytes]
ECHO = "/__echo"  # answers with a digest of the request target and body


def echo(target: str, body: bytes) -> Route:
    digest = hashlib.sha256(target.encode("latin-1") + b"\n" + body).hexdigest()
    return 200, [("Content-Type", "text/plain")], digest.encode()


def _read_request(sock: socket.socket) -> tuple[str, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1_000_000:
            return None
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(min(1 << 20, length - len(body)))
        if not chunk:
            break
        body += chunk
    words = lines[0].split(" ")
    target = words[1] if len(words) > 1 else "/"
    return target, body


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[str]:
    """Serve `routes` on a free loopback port; yield the base URL."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            sock: socket.socket = self.request
            for _ in range(1000):  # keep-alive, bounded
                try:
                    request = _read_request(sock)
                except OSError:  # the client (or a killed proxy) went away
                    return
                if request is None:
                    return
                target, request_body = request
                if target.startswith(ECHO):
                    status, headers, body = echo(target, request_body)
                else:
                    status, headers, body = routes.get(
                        target.partition("?")[0], (404, [("Content-Type", "text/plain")], b"no"))
                head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
                framed = ("content-length", "transfer-encoding")
                if not any(k.lower() in framed for k, _ in headers):
                    head += f"Content-Length: {len(body)}\r\n"
                sock.sendall(head.encode("latin-1") + b"\r\n" + body)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with in_thread(Server(("127.0.0.1", 0), Handler)) as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def in_thread(server: socketserver.BaseServer) -> Iterator[int]:
    """Serve from a daemon thread; yield the port; shut down and close afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]  # type: ignore[index]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
