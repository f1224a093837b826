"""Ports for tests, taken from the kernel and held: a port asked for (bind to 0) and let go
at once may belong to another test run by the time it is used, and a test would then talk
to someone else's server. Servers bind port 0 themselves and say which port they got; a
port that must refuse connections stays bound for as long as it is used."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


def bound_socket(host: str = "127.0.0.1") -> socket.socket:
    """A TCP socket bound to a port of the kernel's choosing and not listening: connecting
    to it is refused, and nothing else can take the port until it is closed (or handed to a
    server that listens on it)."""
    sock = socket.socket()
    try:
        sock.bind((host, 0))
    except OSError:
        sock.close()
        raise
    return sock


def port_of(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


@contextmanager
def refusing_port(host: str = "127.0.0.1") -> Iterator[int]:
    """A port where nobody listens, held for the block: connections to it are refused."""
    with bound_socket(host) as sock:
        yield port_of(sock)


@contextmanager
def reserved_port(host: str = "127.0.0.1") -> Iterator[int]:
    """A port kept for the block by a bound socket that does not listen (connections are
    refused) but allows address reuse: the kernel gives the port to nobody else, while a
    server that binds with SO_REUSEADDR (Mosquitto, Python's HTTP servers) can listen on it,
    stop and listen on it again, as a broker or tile server that goes away and comes back."""
    sock = socket.socket()
    with sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, 0))
        yield port_of(sock)
