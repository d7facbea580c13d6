"""A `printkit serve` server on a free port, over a fresh `printkit init` workspace."""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from printkit.serve.previews import Workspace
from printkit.serve.run import follow_saves
from printkit.serve.server import PreviewServer, serve_in_thread, start
from printkit.workspace import init_workspace


@dataclass
class Live:
    root: Path
    server: PreviewServer
    workspace: Workspace

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, body: dict | None = None, headers=None, timeout: float = 10
    ):
        """(status, headers, body text) for a request sent exactly as given (no path cleaning)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        data = urlencode(body, doseq=True).encode() if body is not None else None
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if data is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.putrequest(method, path, skip_host=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        if data is not None:
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        kind = response.headers.get("Content-Type", "")
        text = content.decode("utf-8") if kind.startswith("text/") else content
        return response.status, response.headers, text


def start_live(root: Path, cache: Path, watch: bool = False, host: str = "127.0.0.1"):
    """Start a server (and, with `watch`, its file watcher); return it and a stop function."""
    init_workspace(root)
    workspace = Workspace(root, cache)
    server = start(workspace, host, 0)
    thread = serve_in_thread(server)
    stop = threading.Event()
    ready = threading.Event()
    watcher = None
    if watch:
        watcher = follow_saves(server, lambda _: None, stop, ready)
        assert ready.wait(5), "the file watcher did not start"

    def finish() -> None:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
        if watcher is not None:
            watcher.join(5)

    return Live(root, server, workspace), finish
