"""A real HTTP server on 127.0.0.1 that plays KPI sources, plus the seams that reach it.

async with SourceServer() as server:
    server.reply("/metrics", Reply.json({"total": 5}))
    ...  # fetch server.url("/metrics") and assert on server.hits

``FakeDns`` and ``LoopbackRouter`` let the address guard run on public-looking names: the
guard resolves ``public.example.test`` to a public address such as 93.184.216.34 and connects
to that address; the router, an httpx transport in front of httpx's real one, carries
connections for the addresses it is told about to this server and fails the test on any other,
so no test can reach the network.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Hit:
    """One request the server received; header names are lower case."""

    path: str
    headers: Mapping[str, str]
    # The client's address and port: two hits with the same peer shared a connection.
    peer: object = None


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    # Stream the body in chunks without a Content-Length.
    chunked: bool = False
    # Declare this Content-Length whatever the body's real size.
    declared_length: int | None = None
    # After sending the headers and the body, never finish (until the server stops).
    hang: bool = False

    @classmethod
    def json(cls, document: object) -> Reply:
        return cls(body=json.dumps(document).encode())

    @classmethod
    def csv(cls, text: str, *, encoding: str = "utf-8") -> Reply:
        return cls(body=text.encode(encoding), content_type="text/csv")

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status=status, headers={"Location": location})


Route = Reply | Callable[[Hit], Reply]


class SourceServer:
    """Serves the replies it is given and records every request."""

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.hits: list[Hit] = []
        self._routes: dict[str, Route] = {}
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def __aenter__(self) -> SourceServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self.tls).start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def reply(self, path: str, route: Route) -> None:
        self._routes[path] = route

    def hits_to(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        hit = Hit(
            path=request.path_qs,
            headers={name.lower(): value for name, value in request.headers.items()},
            peer=request.transport.get_extra_info("peername") if request.transport else None,
        )
        self.hits.append(hit)
        route = self._routes.get(request.path, Reply(status=404, body=b"not found"))
        reply = route(hit) if callable(route) else route
        if not (reply.chunked or reply.hang or reply.declared_length is not None):
            return web.Response(
                status=reply.status,
                body=reply.body,
                headers={"Content-Type": reply.content_type, **reply.headers},
            )
        response = web.StreamResponse(status=reply.status, headers=dict(reply.headers))
        response.content_type = reply.content_type
        if reply.declared_length is not None:
            response.content_length = reply.declared_length
        elif reply.chunked:
            response.enable_chunked_encoding()
        try:
            await response.prepare(request)
            for start in range(0, len(reply.body), CHUNK):
                await response.write(reply.body[start : start + CHUNK])
            if reply.hang:
                await self._release.wait()
        except ConnectionResetError:
            pass  # the client stopped reading, which is what the size tests expect
        return response


class FakeDns:
    """A resolver for the address guard; records each name it is asked about.

    ``answers`` maps a name to its addresses; ``later`` gives different addresses for every
    question after the first, as a DNS rebinding attacker would.
    """

    def __init__(
        self, answers: Mapping[str, list[str]], *, later: Mapping[str, list[str]] | None = None
    ) -> None:
        self._answers = answers
        self._later = later or {}
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        answers = self._later if host in self.asked and host in self._later else self._answers
        self.asked.append(host)
        if host not in answers:
            raise OSError(f"test DNS has no answer for {host}")
        return list(answers[host])


class LoopbackRouter(httpx.AsyncBaseTransport):
    """Carries requests for the given addresses (and 127.0.0.1) to the local server.

    Records every request as sent by the code under test, before any rerouting. An address
    in ``unreachable`` fails to connect; any other address fails the test.
    """

    def __init__(
        self,
        routed: set[str],
        *,
        unreachable: frozenset[str] = frozenset(),
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.routed = routed | {"127.0.0.1"}
        self.unreachable = unreachable
        self.sent: list[httpx.Request] = []
        self._real = httpx.AsyncHTTPTransport(verify=verify)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if request.url.host in self.unreachable:
            raise httpx.ConnectError("unreachable in this test", request=request)
        if request.url.host not in self.routed:
            raise AssertionError(f"the test tried to reach {request.url.host}")
        rerouted = httpx.Request(
            request.method,
            request.url.copy_with(host="127.0.0.1"),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return await self._real.handle_async_request(rerouted)

    async def aclose(self) -> None:
        await self._real.aclose()


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for one host name, as PEM files and a client trust context."""

    cert_file: Path
    key_file: Path

    @classmethod
    def create(cls, name: str, directory: Path) -> Certificate:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        cert_file, key_file = directory / f"{name}.crt", directory / f"{name}.key"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cls(cert_file, key_file)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert_file))
