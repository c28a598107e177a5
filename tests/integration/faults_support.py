"""Faults for the fault tests: a TCP relay that can refuse, cut or throttle, and a private Postgres cluster.

``Relay`` sits between a client (the worker's boto3, the API) and a real
server (moto, Postgres): ``close()`` makes the port refuse connections,
``open()`` brings it back on the same port, ``rate`` throttles the bytes the
client sends (so an upload can be caught half-way). ``PrivatePostgres`` is a
real cluster of its own (initdb as an unprivileged user) that a test may stop
and start again without touching the shared server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from embedded import services


class Relay:
    """A TCP relay on a fixed local port in front of ``target`` (``http://host:port`` or ``(host, port)``)."""

    def __init__(self, target: str | tuple[str, int], rate: int = 0):
        if isinstance(target, str):
            parts = urlsplit(target)
            target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.target = target
        self.port = services.free_port()
        self.rate = rate  # bytes per second client -> server, per connection; 0 = unlimited
        self.sent = 0  # bytes relayed client -> server since the start
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def open(self) -> Relay:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()
        return self

    def close(self) -> None:
        """Refuse new connections and cut every open one."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self.cut()

    def cut(self) -> None:
        """Drop every open connection mid-transfer; new connections still get through."""
        with self._lock:
            conns, self._conns = self._conns, []
        for sock in conns:
            _shut(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _shut(client)
                continue
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, outbound: bool) -> None:
        try:
            while data := source.recv(16384):
                if outbound and self.rate:
                    time.sleep(len(data) / self.rate)
                sink.sendall(data)
                if outbound:
                    self.sent += len(data)
        except OSError:
            pass
        finally:
            _shut(source)
            _shut(sink)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class PrivatePostgres:
    """A Postgres cluster of this test alone, in a temporary directory, that can be stopped and started."""

    def __init__(self) -> None:
        # initdb refuses root: the cluster runs as an unprivileged user, who must be able to enter the dir.
        self.dir = Path(tempfile.mkdtemp(prefix="seen-faults-pg-"))
        os.chmod(self.dir, 0o711)  # noqa: S103 - the cluster user enters, never lists
        self.port = services.free_port()
        self.started = services.Started()
        self.url = ""

    def start(self) -> str:
        self.url = services.start_private_postgres(self.started, self.port, self.dir)
        return self.url

    def stop(self) -> None:
        """``pg_ctl stop -m fast``: open sessions are terminated, new connections refused."""
        pg_ctl = services._pg_bin("pg_ctl")
        user = services._unprivileged_user()
        subprocess.run([pg_ctl, "stop", "-D", str(self.dir / "postgres"), "-m", "fast", "-w"], check=True,
                       stdout=subprocess.DEVNULL, user=user, timeout=60)
        for proc in self.started.processes:
            proc.wait(10)
        self.started.processes.clear()

    def close(self) -> None:
        self.started.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
