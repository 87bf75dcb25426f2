#!/usr/bin/env python3
"""Local servers for bench/faults.sh. Loopback only; nothing leaves the machine.

    fault_servers.py hosts N     N hosts, 127.2.X.Y, one port: /article/<n> is
                                 a small page, anything else (the soft-404
                                 probe) a 404; connections are kept alive, as real
                                 servers keep them.
    fault_servers.py pages N     N ThreadingHTTPServers on 127.0.0.1 ... 127.0.0.N,
                                 one port, serving the current directory.

Prints the port on the first line of stdout once every listener is up, then
serves until killed.
"""

import asyncio
import functools
import http.server
import resource
import socket
import sys
import threading


def host_address(i):
    return f"127.2.{i // 250}.{1 + i % 250}"


def free_port(address):
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


PAGE = (
    b"<!doctype html><html><head><title>Article</title></head><body><main>"
    b"<h1>Article</h1><p>A short article that is alive and well, for the "
    b"file-descriptor benchmark.</p></main></body></html>"
)


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1]
            if path.startswith(b"/article/") and path[9:].isdigit():
                status, body = b"200 OK", PAGE
            else:
                status, body = b"404 Not Found", b"<title>Not found</title>"
            writer.write(
                b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, IndexError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def serve_hosts(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < 2 * n + 100:
        sys.exit(f"fault_servers: RLIMIT_NOFILE hard limit {hard} is too low for {n} hosts")
    port = free_port(host_address(0))
    servers = []
    for i in range(n):
        servers.append(await asyncio.start_server(handle, host_address(i), port, backlog=64))
    print(port, flush=True)
    await asyncio.Event().wait()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_pages(n):
    port = free_port("127.0.0.1")
    handler = functools.partial(Quiet, directory=".")
    for i in range(1, n + 1):
        httpd = http.server.ThreadingHTTPServer((f"127.0.0.{i}", port), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(port, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    mode, n = sys.argv[1], int(sys.argv[2])
    if mode == "hosts":
        asyncio.run(serve_hosts(n))
    elif mode == "pages":
        serve_pages(n)
    else:
        sys.exit(__doc__)
