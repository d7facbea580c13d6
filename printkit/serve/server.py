"""The HTTP side of `printkit serve`: routes, the edit token, Host/Origin checks, and the
server-sent events that tell open pages a deck was rebuilt.

Every URL is looked up in tables of what the workspace holds (deck names, PDF digests, two
static files); no part of a URL is ever joined to a folder, so no encoding of ".." can reach
a file outside the workspace.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import secrets
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from printkit.errors import PrintkitError
from printkit.serve import pages
from printkit.serve.editor import CardForm, DeckForm, EditRefused, read_form, save_form
from printkit.serve.previews import Choices, Workspace, view_query

STATIC = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")
MAX_FORM_BYTES = 5 * 1024 * 1024
SECURITY_HEADERS = {
    # Nothing from elsewhere: no CDN, no inline script, no framing by another site.
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    # same-origin: the browser then sends its Origin with a form, which POSTs are checked against.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class Events:
    """Numbered events for the open pages (server-sent events): "deck X was rebuilt"."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.items: list[tuple[int, dict]] = []
        self.closed = False

    @property
    def last(self) -> int:
        with self.condition:
            return self.items[-1][0] if self.items else 0

    def publish(self, data: dict) -> None:
        with self.condition:
            self.items.append((self.last + 1, data))
            del self.items[:-100]
            self.condition.notify_all()

    def after(self, number: int, timeout: float) -> list[tuple[int, dict]]:
        with self.condition:
            self.condition.wait_for(
                lambda: self.closed or (self.items and self.items[-1][0] > number), timeout
            )
            return [item for item in self.items if item[0] > number]

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.condition.notify_all()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, workspace: Workspace, host: str, port: int) -> None:
        self.workspace = workspace
        self.token = secrets.token_urlsafe(32)
        self.events = Events()
        self.host = host
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), Handler)
        self.port = self.server_address[1]
        # On this computer only, the names it can be reached by; for the network (--host),
        # see host_allowed.
        self.hosts = {f"{name}:{self.port}" for name in LOOPBACK} if host in LOOPBACK else None
        if self.hosts is None:
            own = socket.gethostname().lower()
            self.names = {"localhost", own, f"{own}.local", socket.getfqdn().lower()}

    def host_allowed(self, value: str) -> bool:
        """Whether a request's Host names this server. A web page can make the browser send
        another name only by DNS rebinding (its own domain name pointed at this computer),
        which this refuses: on the network the server answers to an address in numbers or to
        this computer's own names, never to another domain name."""
        if self.hosts is not None:
            return value in self.hosts
        try:
            url = urlsplit(f"//{value}")
            name, port = (url.hostname or "").lower(), url.port
        except ValueError:
            return False
        if port != self.port:
            return False
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in self.names

    def deck_changed(self, stem: str) -> None:
        """Rebuild a saved deck (for the switches recently looked at) and tell the pages."""
        self.workspace.rebuild(stem)
        self.events.publish({"deck": stem})

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # a browser that went away is not news

    def server_close(self) -> None:
        self.events.close()
        super().server_close()


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    # A client that stops sending (or reading) in the middle is let go after this many
    # seconds, so it cannot keep a thread forever; the event stream writes every 15 s.
    timeout = 20

    def log_message(self, format: str, *args) -> None:
        pass  # a preview server's requests are not news; errors reach the page

    # -- checks ---------------------------------------------------------------------------

    def _host_ok(self) -> bool:
        # A web page cannot make the browser send another Host to 127.0.0.1 except by DNS
        # rebinding, which this refuses.
        return self.server.host_allowed(self.headers.get("Host", ""))

    def _embedded_elsewhere(self) -> bool:
        # Another website (or another server on this computer) asking for a part of the page:
        # a picture or a script's fetch. Each set of options is a build, so a page of
        # <img src="http://127.0.0.1:8000/deck/x?paper=..."> could keep the computer busy.
        # Opening a link from elsewhere (a navigation) still works.
        return self.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site") and (
            self.headers.get("Sec-Fetch-Mode") != "navigate"
        )

    def _same_origin(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.headers.get('Host', '')}":
            return False
        return self.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")

    # -- answers --------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, status: int, title: str, body: str) -> None:
        html = pages.document(title, body, workspace=self.server.workspace.root.name)
        self._send(status, html.encode("utf-8"), "text/html; charset=utf-8")

    def _message(self, status: HTTPStatus, text: str) -> None:
        self._html(status, status.phrase, pages.message_page(status.phrase, text))

    def _not_found(self) -> None:
        self._message(
            HTTPStatus.NOT_FOUND,
            "There is nothing here; only the workspace's decks, "
            "their previews and PDFs are served.",
        )

    def _redirect(self, location: str) -> None:
        self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", {"Location": location})

    # -- routes ---------------------------------------------------------------------------

    def _route(self) -> tuple[list[str], dict[str, list[str]]] | None:
        url = urlsplit(self.path)
        parts = [unquote(part) for part in url.path.split("/")[1:]]
        # A backslash is allowed: on Linux it is part of a file name ("a\\b.yaml"), and no part
        # is ever joined to a folder.
        if any(p in (".", "..") or "/" in p or "\0" in p for p in parts):
            return None
        return parts, parse_qs(url.query, keep_blank_values=True)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._message(
                HTTPStatus.MISDIRECTED_REQUEST,
                "This server answers only to the address it printed when it started.",
            )
        if self._embedded_elsewhere():
            return self._message(
                HTTPStatus.FORBIDDEN, "This server's pages are only shown by this server's page."
            )
        route = self._route()
        if route is None:
            return self._not_found()
        parts, query = route
        workspace = self.server.workspace
        match parts:
            case [""]:
                self._html(200, "Decks", pages.home_page(workspace.summaries()))
            case ["deck", stem] if workspace.deck_path(stem):
                self._deck(stem, Choices.from_query(query), query)
            case ["deck", stem, "edit"] if workspace.deck_path(stem):
                self._editor(stem, view=view_query(query))
            case ["page", digest, picture] if _number(picture.removesuffix(".png")) is not None:
                png = workspace.page_picture(digest, _number(picture.removesuffix(".png")))
                if png is None or not picture.endswith(".png"):
                    return self._not_found()
                self._send(
                    200, png, "image/png", {"Cache-Control": "private, max-age=86400, immutable"}
                )
            case ["pdf", digest, name]:
                path = workspace.pdf_file(digest)
                if path is None:
                    return self._not_found()
                how = "attachment" if "download" in query else "inline"
                self._send(
                    200,
                    path.read_bytes(),
                    "application/pdf",
                    {"Content-Disposition": f"{how}; {_file_name(name)}"},
                )
            case ["static", name] if name in STATIC_TYPES:
                self._send(200, (STATIC / name).read_bytes(), STATIC_TYPES[name])
            case ["events"]:
                self._events()
            case _:
                self._not_found()

    def _deck(self, stem: str, choices: Choices, query: dict[str, list[str]]) -> None:
        workspace = self.server.workspace
        preview = workspace.preview(stem, choices)
        if preview is None:
            return self._not_found()
        from printkit.stocks import STOCKS

        notice = "Saved; the preview below is the new file." if "saved" in query else ""
        body = pages.deck_page(
            workspace.summaries(),
            preview,
            list(workspace.layouts),
            list(STOCKS),
            self.server.token,
            notice,
            actual=(query.get("size") or [""])[-1] == "actual",
            view=view_query(query),
        )
        self._html(200, preview.title or stem, body)

    def _editor(
        self,
        stem: str,
        form: DeckForm | None = None,
        problems=(),
        notice="",
        status: int = 200,
        focus: int | None = None,
        view: str = "",  # the deck page's print options, to go back to
    ) -> None:
        workspace = self.server.workspace
        path = workspace.deck_path(stem)
        try:
            form = form or read_form(path)
        except PrintkitError as error:
            return self._message(HTTPStatus.CONFLICT, " ".join(error.messages))
        body = pages.editor_page(
            workspace.summaries(),
            stem,
            str(path),
            form,
            self.server.token,
            problems,
            notice,
            focus,
            view,
        )
        self._html(status, f"Edit {form.title or stem}", body)

    def _events(self) -> None:
        events = self.server.events
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if self.command == "HEAD":
            return
        seen = events.last
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not events.closed:
                items = events.after(seen, timeout=15)
                if not items:
                    self.wfile.write(b": still here\n\n")
                for number, data in items:
                    message = f"id: {number}\nevent: rebuilt\ndata: {json.dumps(data)}\n\n"
                    self.wfile.write(message.encode("utf-8"))
                    seen = number
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self) -> None:
        if not self._host_ok():
            return self._message(HTTPStatus.MISDIRECTED_REQUEST, "Wrong address.")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_FORM_BYTES:
            self.close_connection = True
            return self._message(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "That form is too large.")
        fields = parse_qs(
            self.rfile.read(length).decode("utf-8", "replace"), keep_blank_values=True
        )
        token = (fields.get("token") or [""])[-1]
        if not self._same_origin() or not hmac.compare_digest(token, self.server.token):
            return self._message(
                HTTPStatus.FORBIDDEN,
                "This change was refused: it did not come "
                "from this server's own page. Reload the page and try again.",
            )
        route = self._route()
        match route:
            case (["deck", stem, "edit"], _) if self.server.workspace.deck_path(stem):
                self._edit(stem, fields)
            case _:
                self._not_found()

    def _edit(self, stem: str, fields: dict[str, list[str]]) -> None:
        form = form_from_fields(fields)
        action = (fields.get("action") or ["save"])[-1]
        # Read again, not passed on as sent: only the known options go into the next address.
        view = view_query(parse_qs((fields.get("view") or [""])[-1]))
        if action != "save":
            focus, done = apply_action(form, action)
            notice = f"{done} Not saved yet: press Save deck to keep the changes."
            return self._editor(stem, form, notice=notice.strip(), focus=focus, view=view)
        path = self.server.workspace.deck_path(stem)
        try:
            save_form(path, form)
        except EditRefused as error:
            return self._editor(stem, form, problems=error.messages, status=422, view=view)
        self.server.deck_changed(stem)  # now, so the page it goes to shows the new file
        self._redirect(f"/deck/{quote(stem)}?{view + '&' if view else ''}saved=1")


def _number(text: str) -> int | None:
    """A number in a URL or a form, in ASCII digits only: int() alone would take "٣", and
    fail (a traceback, not an answer) on "²" or on 5,000 digits."""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


def _file_name(name: str) -> str:
    """A download's file name as headers carry it: plain ASCII, and the real name (RFC 6266)."""
    plain = "".join(c for c in name if c.isascii() and (c.isalnum() or c in "-_.")) or "deck.pdf"
    return f"filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"


def form_from_fields(fields: dict[str, list[str]]) -> DeckForm:
    def one(name: str) -> str:
        # Every line break as "\n": a browser sends "\r\n", and a text pasted from a PDF can
        # hold U+2028, which YAML also reads as a line break (the editor then could not
        # open the file it wrote).
        return re.sub("\r\n?|[\x85\u2028\u2029]", "\n", (fields.get(name) or [""])[-1])

    count = min(_number(one("count")) or 0, 100_000)
    form = DeckForm(one("title"), one("subject"), base=one("base"))
    for i in range(count):
        form.cards.append(
            CardForm(
                question=one(f"q-{i}"),
                answer=one(f"a-{i}"),
                as_list=bool(one(f"list-{i}")),
                tags=one(f"tags-{i}"),
                cloze=bool(one(f"cloze-{i}")),
                source=_number(one(f"src-{i}")),
                wrong=one(f"wrong-{i}"),
                lines=one(f"lines-{i}"),
                marks=one(f"marks-{i}"),
            )
        )
    return form


def apply_action(form: DeckForm, action: str) -> tuple[int | None, str]:
    """Add, move or delete a card in the form (not yet saved): the card to put the cursor in,
    and what was done, in words."""
    verb, _, number = action.partition("-")
    cards = form.cards
    if verb == "add":
        cards.append(CardForm())
        return len(cards) - 1, f"Card {len(cards)} added at the end."
    i = _number(number)
    if i is None or i >= len(cards):
        return None, ""
    if verb == "up" and i > 0:
        cards[i - 1], cards[i] = cards[i], cards[i - 1]
        return i - 1, f"Card {i + 1} is now card {i}."
    if verb == "down" and i < len(cards) - 1:
        cards[i + 1], cards[i] = cards[i], cards[i + 1]
        return i + 1, f"Card {i + 1} is now card {i + 2}."
    if verb == "delete":
        del cards[i]
        return (min(i, len(cards) - 1) if cards else None), f"Card {i + 1} deleted."
    return None, ""


def start(workspace: Workspace, host: str = "127.0.0.1", port: int = 8000) -> PreviewServer:
    """A server listening (not yet serving) on host:port; port 0 picks a free one."""
    return PreviewServer(workspace, host, port)


def serve_in_thread(server: PreviewServer) -> threading.Thread:
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return thread
