"""Fetching a URL someone typed into Slack without letting it reach into our own network.

A KPI owner chooses the URL, so every fetch is treated as a server-side request forgery
attempt until proven otherwise: only http and https, no credentials in the URL, a time limit,
a size limit, a few redirects, and no loopback, private, link-local, shared (CGNAT),
multicast, reserved or cloud metadata address, checked on every hop after DNS resolution.

DNS rebinding: the host name is resolved once per hop by this module, every answer is
checked, and the request is then sent to a checked IP address written into the URL, with the
original name in the ``Host`` header and, for https, as the TLS server name (httpcore's
``sni_hostname`` extension, which is also the name the certificate is verified against).
httpx never resolves the name itself, so a second, different DNS answer cannot be used.
(When private addresses are allowed there is nothing to guard, and httpx connects as usual.)
A client passed in must connect where the URL says, as httpx clients do; a forward proxy
would also be given the checked address, never the name.
Requests carry ``Connection: close`` so that a connection verified for one host name is
never reused for another name that happens to share its address.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a fetch needs it: httpx (~15 MiB) waits for the first fetch
    import httpx

from bot.core.errors import UserInputError
from bot.core.log_text import printable

Resolver = Callable[[str, int], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_PRIVATE_VARIABLE = "NORTHSTAR_ALLOW_PRIVATE_URLS"
USER_AGENT = "Northstar KPI fetcher"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


class SourceError(UserInputError):
    """A KPI source could not give a value; ``message`` is one sentence its owner can act on.

    Messages never contain the value of a secret header.
    """


@dataclass(frozen=True)
class FetchPolicy:
    timeout_seconds: float = 10.0
    max_bytes: int = 1_000_000
    max_redirects: int = 3
    allow_private: bool = False


def policy_from_env(environ: Mapping[str, str]) -> FetchPolicy:
    """The default policy, allowing private addresses if NORTHSTAR_ALLOW_PRIVATE_URLS is set."""
    flag = environ.get(ALLOW_PRIVATE_VARIABLE, "").strip().lower()
    return FetchPolicy(allow_private=flag in {"true", "1", "yes"})


async def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host``, in its order of preference."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def blocked_kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is (for a message), or ``None`` if it is public."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return blocked_kind(embedded) or _own_kind(address)
    return _own_kind(address)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _own_kind(address: IPAddress) -> str | None:
    checks = (
        (address in METADATA_ADDRESSES, "a cloud metadata address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_unspecified, "an unspecified address"),
        (address in SHARED_ADDRESS_SPACE, "a shared (carrier-grade NAT) address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private and not address.is_reserved, "a private network address"),
        (address.is_reserved or not address.is_global, "a reserved address"),
    )
    return next((kind for blocked, kind in checks if blocked), None)


def _refuse(subject: str, address: str, kind: str) -> SourceError:
    return SourceError(
        f"{subject} {kind} ({address}), which Northstar does not fetch. "
        f"Set {ALLOW_PRIVATE_VARIABLE}=true to allow it."
    )


def check_url(url: str | httpx.URL) -> httpx.URL:
    """The parsed URL, if its form is acceptable: http(s), a host, no user name or password."""
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise SourceError("The address is not a valid URL.") from None
    if parsed.scheme not in {"http", "https"}:
        shown = parsed.scheme or "no scheme"
        raise SourceError(f"Only http and https addresses can be fetched, not {shown}.")
    if parsed.userinfo:
        raise SourceError(
            "The address contains a user name or password; "
            "send credentials in a header from an environment variable instead."
        )
    if not parsed.host:
        raise SourceError("The address has no host name.")
    return parsed


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def _checked_addresses(url: httpx.URL, resolve: Resolver) -> list[str]:
    """The public addresses to connect to for ``url``; raises if any answer is not public."""
    host = url.raw_host.decode("ascii")
    literal = _literal_address(host)
    if literal is not None:
        kind = blocked_kind(literal)
        if kind is not None:
            raise _refuse("The address is", host, kind)
        return [host]
    try:
        answers = await resolve(host, url.port or (443 if url.scheme == "https" else 80))
    except (OSError, UnicodeError):
        raise SourceError(f"The host name {host} could not be resolved.") from None
    if not answers:
        raise SourceError(f"The host name {host} could not be resolved.")
    for answer in answers:
        address = _literal_address(answer)
        kind = "an unreadable address" if address is None else blocked_kind(address)
        if kind is not None:
            raise _refuse("The address resolves to", answer, kind)
    return answers


async def _send(
    client: httpx.AsyncClient,
    url: httpx.URL,
    *,
    headers: Mapping[str, str],
    policy: FetchPolicy,
    resolve: Resolver,
) -> httpx.Response:
    """Open a streamed GET of ``url`` at a checked address (or as is, if private is allowed)."""
    import httpx

    host = url.raw_host.decode("ascii")
    base = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Connection": "close"}
    targets: list[tuple[httpx.URL, dict[str, str], dict[str, str]]] = [(url, {}, {})]
    if not policy.allow_private:
        pinned = {"Host": url.netloc.decode("ascii")}
        tls_name = {"sni_hostname": host} if url.scheme == "https" else {}
        targets = [
            (url, {}, {}) if address == host else (url.copy_with(host=address), pinned, tls_name)
            for address in await _checked_addresses(url, resolve)
        ]
    for target, pinned_headers, extensions in targets:
        request = client.build_request(
            "GET",
            target,
            headers={**base, **headers, **pinned_headers},
            timeout=httpx.Timeout(policy.timeout_seconds),
            extensions=extensions,
        )
        try:
            return await client.send(request, stream=True, follow_redirects=False)
        except httpx.ConnectError as error:
            if _caused_by_certificate(error):
                raise SourceError(
                    f"The HTTPS certificate of {host} could not be verified."
                ) from None
            continue  # the next checked address of the same host may answer
    raise SourceError(f"Northstar could not connect to {host}.")


def _caused_by_certificate(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _size(limit: int) -> str:
    if limit >= 1_000_000 and limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    if limit >= 1000 and limit % 1000 == 0:
        return f"{limit // 1000} kB"
    return f"{limit} bytes"


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    too_large = SourceError(f"The source is larger than {_size(limit)}.")
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise too_large
    # Northstar asks for "identity"; a compressed answer could expand a thousandfold in memory
    # before any limit is checked (a "zip bomb"), so it is refused, and bytes are read raw.
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise SourceError(
            f"The source sent a compressed answer ({printable(encoding, limit=40)}) although "
            "Northstar asks for none; have it send the file uncompressed."
        )
    body = bytearray()
    async for chunk in response.aiter_raw():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    *,
    policy: FetchPolicy,
    secret_headers: Mapping[str, str],
    resolve: Resolver,
) -> bytes:
    current = check_url(url)
    origin = (current.scheme, current.host, current.port)
    for _hop in range(policy.max_redirects + 1):
        # Credentials go to the origin the owner named, never to where it redirects.
        same_origin = (current.scheme, current.host, current.port) == origin
        headers = secret_headers if same_origin else {}
        response = await _send(client, current, headers=headers, policy=policy, resolve=resolve)
        try:
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location:
                current = check_url(current.join(location))
                continue
            if not response.is_success:
                raise SourceError(f"The source answered HTTP {response.status_code}.")
            return await _read_capped(response, policy.max_bytes)
        finally:
            await response.aclose()
    raise SourceError(f"The source redirected more than {policy.max_redirects} times.")


async def fetch_bytes(
    url: str,
    *,
    policy: FetchPolicy,
    secret_headers: Mapping[str, str] | None = None,
    client: httpx.AsyncClient | None = None,
    resolve: Resolver = system_resolve,
) -> bytes:
    """The body of a GET of ``url``, within ``policy``; every failure is a ``SourceError``.

    Args:
        url: The address to fetch; redirects are followed by hand and each one re-checked.
        policy: Time, size and redirect limits, and whether private addresses are allowed.
        secret_headers: Sent only to the URL's own origin, never after a cross-origin
            redirect. Their values must never appear in an error; none of ours quotes them.
        client: A client to send through (sharing its connection pool and transport);
            by default one is made for this fetch, ignoring proxy environment variables.
        resolve: Turns a host name and port into IP addresses. Tests inject one so that the
            address checks run on names that do not exist.
    """
    import httpx

    try:
        async with asyncio.timeout(policy.timeout_seconds), contextlib.AsyncExitStack() as stack:
            if client is None:
                client = await stack.enter_async_context(httpx.AsyncClient(trust_env=False))
            return await _follow(
                client, url, policy=policy, secret_headers=secret_headers or {}, resolve=resolve
            )
    except (TimeoutError, httpx.TimeoutException):
        raise SourceError(
            f"The source took longer than {policy.timeout_seconds:g} seconds."
        ) from None
    except httpx.RemoteProtocolError:
        # Also what httpx raises for a Location header it cannot parse.
        raise SourceError("The source sent a response that is not valid HTTP.") from None
    except httpx.HTTPError as error:
        # The exception text may quote request details; its type is enough to act on.
        raise SourceError(f"The request to the source failed ({type(error).__name__}).") from None
