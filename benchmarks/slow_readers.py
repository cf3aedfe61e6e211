"""What the hall server's send buffer and write timeout cost and save (``pbtools/server/limits.py``): the same tornado
application served twice by a child process, by ``limits.HallServer`` (SO_SNDBUF ``SEND_BUFFER``, ``WRITE_TIMEOUT``)
and by tornado's plain HTTPServer (the kernel's autotuned buffers, no write timeout: the baseline), over loopback.

    .venv/bin/python benchmarks/slow_readers.py [--mb 64] [--clients 50] [--send-buffer KB]

Printed for each server: how fast a ``--mb`` MB page and a websocket message of that size go to a client that reads
at once (best of 5; goal: the hall server at least 0.8 of the baseline), and the kernel memory (`ss`, the server's
side) held by ``--clients`` connections from one address that pipeline 8 pages of 121 KB with a 1 KB receive buffer
and never read (a login page with a 30 KB ``next``, attack F2), then how many of them are still open
``WRITE_TIMEOUT`` + 5 s later (goal: none for the hall server; ``--clients 0`` skips this part).
``--send-buffer`` tries another ``SEND_BUFFER`` (KB) for the hall server. Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import subprocess
import sys
import time

from tornado import httpserver, web, websocket

from pbtools.server import limits

MB = 2**20
PAGE = 121_000  # a login page echoing a 30 KB next=
ROUNDS = 5


class Page(web.RequestHandler):
    def get(self) -> None:
        self.finish(b"x" * int(self.get_argument("size")))


class Message(websocket.WebSocketHandler):
    def on_message(self, message: str | bytes) -> None:
        self.write_message(b"x" * int(message), binary=True)


async def page_speed(port: int, size: int) -> float:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    t0 = time.perf_counter()
    writer.write(f"GET /page?size={size} HTTP/1.1\r\nHost: hall\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    await reader.readexactly(length)
    took = time.perf_counter() - t0
    writer.close()
    return size / MB / took


async def message_speed(port: int, size: int) -> float:
    client = await websocket.websocket_connect(f"ws://127.0.0.1:{port}/message", max_message_size=2 * size)
    t0 = time.perf_counter()
    await client.write_message(str(size))
    message = await client.read_message()
    took = time.perf_counter() - t0
    assert message is not None and len(message) == size
    client.close()
    return size / MB / took


def never_read(port: int, source: str, clients: int) -> list[socket.socket]:
    request = f"GET /page?size={PAGE}&next=%2F{'a' * 30000} HTTP/1.1\r\nHost: hall\r\n\r\n".encode()
    held = []
    for _ in range(clients):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        try:
            s.send(request * 8)
        except BlockingIOError:
            pass
        held.append(s)
    return held


def server_side(port: int, client: str) -> tuple[int, int]:
    """(connections, bytes queued to send) of the server's side of its connections to ``client``."""
    out = subprocess.run(["ss", "-tmnH", "state", "established", f"( sport = :{port} and dst {client} )"],
                         capture_output=True, text=True, check=True).stdout
    queued = [int(w) for w in re.findall(r"skmem:\([^)]*,w(\d+)", out)]
    return len(queued), sum(queued)


async def serve(size: int, send_buffer: int) -> None:
    """The child: both servers; prints their ports, serves until killed."""
    limits.SEND_BUFFER = send_buffer
    app = web.Application([("/page", Page), ("/message", Message)], websocket_max_message_size=2 * size)
    for server in (httpserver.HTTPServer(app), limits.HallServer(app)):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        sock.setblocking(False)
        server.add_socket(sock)
        print(sock.getsockname()[1], flush=True)
    await asyncio.Event().wait()


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=64)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--send-buffer", type=int, default=limits.SEND_BUFFER // 1024)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    size = args.mb * MB
    if args.serve:
        await serve(size, args.send_buffer * 1024)
    print(f"HallServer's SO_SNDBUF: {args.send_buffer} KB")
    child = subprocess.Popen([sys.executable, __file__, "--serve", "--mb", str(args.mb), "--send-buffer",
                              str(args.send_buffer)], stdout=subprocess.PIPE, text=True)
    try:
        ports = {"tornado alone": int(child.stdout.readline()), "HallServer": int(child.stdout.readline())}
        return await measure(args, size, ports)
    finally:
        child.kill()
        child.wait()


async def measure(args: argparse.Namespace, size: int, ports: dict[str, int]) -> int:
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in ports}
    for _ in range(ROUNDS):  # alternated, so that the machine's other load falls on both alike
        for name, port in ports.items():
            runs[name].append((await page_speed(port, size), await message_speed(port, size)))
    speeds = {name: (max(r[0] for r in rs), max(r[1] for r in rs)) for name, rs in runs.items()}
    for name, (page, message) in speeds.items():
        print(f"{name:14} {args.mb} MB page {page:6.0f} MB/s, websocket message {message:6.0f} MB/s (best of {ROUNDS})")
    page_ratio = speeds["HallServer"][0] / speeds["tornado alone"][0]
    message_ratio = speeds["HallServer"][1] / speeds["tornado alone"][1]
    print(f"HallServer / tornado alone: page {page_ratio:.2f}, message {message_ratio:.2f} (goal: at least 0.8)")
    fast = min(page_ratio, message_ratio) >= 0.8
    if not args.clients:
        return 0 if fast else 1

    held = {name: never_read(port, f"127.0.0.{90 + i}", args.clients) for i, (name, port) in enumerate(ports.items())}
    await asyncio.sleep(3)
    for i, (name, port) in enumerate(ports.items()):
        n, queued = server_side(port, f"127.0.0.{90 + i}")
        print(f"{name:14} {n} connections that never read hold {queued / MB:6.1f} MB of the server's send queues "
              f"({queued / max(n, 1) / 1024:.0f} KB each)")
    await asyncio.sleep(limits.WRITE_TIMEOUT + 2)
    still = {name: server_side(port, f"127.0.0.{90 + i}")[0] for i, (name, port) in enumerate(ports.items())}
    for name, n in still.items():
        print(f"{name:14} still open after {limits.WRITE_TIMEOUT + 5:.0f} s: {n} of {args.clients}")
    for sockets in held.values():
        for s in sockets:
            s.close()
    return 0 if fast and still["HallServer"] == 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
