"""KPI sources fetched from a real HTTP server on 127.0.0.1.

Most tests allow private addresses, since the server is on loopback. The address guard tests
allow none: ``FakeDns`` gives public-looking names public addresses, and ``LoopbackRouter``
carries connections to those addresses to the local server (see tests/kpis/http_source_server.py).
"""

from __future__ import annotations

import codecs
import gzip
import math
import traceback
import tracemalloc
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.kpis.sources import (
    CsvSource,
    FetchPolicy,
    JsonSource,
    Source,
    SourceError,
    describe,
    fetch_value,
    parse_number,
    policy_from_env,
    validate_source,
)
from tests.kpis.http_source_server import (
    CHUNK,
    Certificate,
    FakeDns,
    Hit,
    LoopbackRouter,
    Reply,
    SourceServer,
)

PUBLIC = "93.184.216.34"
OTHER_PUBLIC = "93.184.216.35"
OPEN = FetchPolicy(allow_private=True)
GUARDED = FetchPolicy()
SECRET = "s3cr3t-Value-42"
ENV = {"NORTHSTAR_KPI_SECRET_KPI_TOKEN": SECRET}
REFUSAL = "which Northstar does not fetch. Set NORTHSTAR_ALLOW_PRIVATE_URLS=true to allow it."


@pytest.fixture
async def server() -> AsyncIterator[SourceServer]:
    async with SourceServer() as server:
        yield server


@pytest.fixture
def router() -> LoopbackRouter:
    return LoopbackRouter({PUBLIC, OTHER_PUBLIC}, unreachable=frozenset({"93.184.216.36"}))


@pytest.fixture
async def client(router: LoopbackRouter) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=router, trust_env=False) as client:
        yield client


def public_dns() -> FakeDns:
    return FakeDns({"public.example.test": [PUBLIC], "other.example.test": [OTHER_PUBLIC]})


async def value_of(
    source: Source,
    client: httpx.AsyncClient,
    *,
    policy: FetchPolicy = OPEN,
    secrets: Mapping[str, str] | None = None,
    dns: FakeDns | None = None,
) -> float:
    return await fetch_value(
        source,
        policy=policy,
        secrets=secrets or {},
        client=client,
        resolve=dns or FakeDns({}),
    )


async def error_of(
    source: Source,
    client: httpx.AsyncClient,
    *,
    policy: FetchPolicy = OPEN,
    secrets: Mapping[str, str] | None = None,
    dns: FakeDns | None = None,
) -> SourceError:
    with pytest.raises(SourceError) as caught:
        await value_of(source, client, policy=policy, secrets=secrets, dns=dns)
    return caught.value


# ---- JSON ----------------------------------------------------------------------------------
DOCUMENT = {"data": {"total": 12.5, "items": [{"value": 1}, {"value": 2}, {"value": 3}]}}


@pytest.mark.parametrize(
    ("path", "expected"),
    [("data.total", 12.5), ("data.items.1.value", 2.0), ("data.items.-1.value", 3.0)],
)
async def test_json_value_at_a_nested_path_and_list_index(
    server: SourceServer, client: httpx.AsyncClient, path: str, expected: float
) -> None:
    server.reply("/metrics", Reply.json(DOCUMENT))
    assert await value_of(JsonSource(server.url("/metrics"), path), client) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12,500", 12500), ("$3,000", 3000), ("45%", 45), ("1.2k", 1200), ("-3.5", -3.5), (" 7 ", 7)],
)
async def test_json_numeric_strings(
    server: SourceServer, client: httpx.AsyncClient, text: str, expected: float
) -> None:
    server.reply("/metrics", Reply.json({"data": {"total": text}}))
    assert await value_of(JsonSource(server.url("/metrics"), "data.total"), client) == expected


async def test_json_with_a_byte_order_mark(server: SourceServer, client: httpx.AsyncClient) -> None:
    server.reply("/metrics", Reply(body=codecs.BOM_UTF8 + b'{"total": 8}'))
    assert await value_of(JsonSource(server.url("/metrics"), "total"), client) == 8.0


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        (
            {"data": {"total": "n/a"}},
            "data.total",
            "The value at data.total is 'n/a', not a number.",
        ),
        ({"ok": True}, "ok", "The value at ok is true, not a number."),
        ({"total": None}, "total", "The value at total is null, not a number."),
        ({"data": {"a": 1}}, "data", "The value at data is an object, not a number."),
        (
            {"data": {"total": 1, "count": 2}},
            "data.totl",
            "The JSON has no value at data.totl: data has no key 'totl' (it has total, count).",
        ),
        (
            DOCUMENT,
            "data.items.3.value",
            "The JSON has no value at data.items.3.value: "
            "data.items is a list of 3 items, so '3' picks nothing.",
        ),
        (
            DOCUMENT,
            "data.items.first",
            "The JSON has no value at data.items.first: "
            "data.items is a list of 3 items, so 'first' picks nothing.",
        ),
        (
            {"total": 5},
            "total.value",
            "The JSON has no value at total.value: total is 5, not an object or a list.",
        ),
        (
            [1, 2],
            "total",
            "The JSON has no value at total: the top level is a list of 2 items, "
            "so 'total' picks nothing.",
        ),
    ],
)
async def test_json_without_a_number_at_the_path(
    server: SourceServer,
    client: httpx.AsyncClient,
    document: object,
    path: str,
    message: str,
) -> None:
    server.reply("/metrics", Reply.json(document))
    error = await error_of(JsonSource(server.url("/metrics"), path), client)
    assert error.message == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "The source did not return valid JSON."),
        (b"", "The source did not return valid JSON."),
        (b"\xff\xfe\x00", "The source did not return valid JSON."),
        (b"[" * 100_000 + b"]" * 100_000, "The source did not return valid JSON."),
        (b'{"total": NaN}', "The value at total is nan, not a number."),
        (b'{"total": -Infinity}', "The value at total is -inf, not a number."),
        (b'{"total": 1e400}', "The value at total is inf, not a number."),
    ],
)
async def test_invalid_json_or_non_finite_number(
    server: SourceServer, client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    server.reply("/metrics", Reply(body=body))
    error = await error_of(JsonSource(server.url("/metrics"), "total"), client)
    assert error.message == message


# ---- CSV -----------------------------------------------------------------------------------
SALES = 'Month,Revenue,Cost\nJanuary,"12,500",300\nFebruary,13100,310\nMarch,,320\n\n'


async def test_csv_last_row_with_a_value(server: SourceServer, client: httpx.AsyncClient) -> None:
    server.reply("/sheet.csv", Reply.csv(SALES))
    source = CsvSource(server.url("/sheet.csv"), " revenue ")
    assert await value_of(source, client) == 13100.0


async def test_csv_last_matching_row_trimmed_and_case_insensitive(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    text = " Month , Revenue\njanuary,100\nFebruary,200\n JANUARY ,150\nMarch,175\n"
    server.reply("/sheet.csv", Reply.csv(text))
    source = CsvSource(server.url("/sheet.csv"), "Revenue", "month", " January")
    assert await value_of(source, client) == 150.0


@pytest.mark.parametrize(
    ("source_args", "message"),
    [
        (("Revenue", "Month", "April"), "The CSV has no row where Month is 'April'."),
        (("Revenue", "Month", "March"), "The value in column 'Revenue' is empty, not a number."),
        (("Month",), "The value in column 'Month' is 'March', not a number."),
        (("Profit",), "The CSV has no column 'Profit'; its columns are Month, Revenue, Cost."),
        (
            ("Revenue", "Region", "EU"),
            "The CSV has no column 'Region'; its columns are Month, Revenue, Cost.",
        ),
    ],
)
async def test_csv_without_a_number(
    server: SourceServer,
    client: httpx.AsyncClient,
    source_args: tuple[str, ...],
    message: str,
) -> None:
    server.reply("/sheet.csv", Reply.csv(SALES))
    error = await error_of(CsvSource(server.url("/sheet.csv"), *source_args), client)
    assert error.message == message


async def test_csv_missing_column_lists_the_first_ten(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    header = ",".join(f"C{number}" for number in range(1, 13))
    server.reply("/wide.csv", Reply.csv(header + "\n" + ",".join(["1"] * 12) + "\n"))
    error = await error_of(CsvSource(server.url("/wide.csv"), "Revenue"), client)
    assert error.message == (
        "The CSV has no column 'Revenue'; its columns are "
        "C1, C2, C3, C4, C5, C6, C7, C8, C9, C10 and 2 more."
    )


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("Revenue,Cost\n5,6\n", "utf-8-sig"), ("Région,Revenue\nEst,5\n", "latin-1")],
)
async def test_csv_with_a_byte_order_mark_or_in_latin_1(
    server: SourceServer, client: httpx.AsyncClient, text: str, encoding: str
) -> None:
    server.reply("/sheet.csv", Reply.csv(text, encoding=encoding))
    assert await value_of(CsvSource(server.url("/sheet.csv"), "Revenue"), client) == 5.0


async def test_csv_match_on_a_latin_1_column(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    server.reply("/sheet.csv", Reply.csv("Région,Valeur\nEst,7\nOuest,9\n", encoding="latin-1"))
    source = CsvSource(server.url("/sheet.csv"), "valeur", "RÉGION", "est")
    assert await value_of(source, client) == 7.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The CSV is empty."),
        ("\n\n", "The CSV is empty."),
        ("Revenue\n", "The CSV has no row with a value in column 'Revenue'."),
        ("Revenue,Cost\n,1\n , 2\n", "The CSV has no row with a value in column 'Revenue'."),
    ],
)
async def test_csv_without_values(
    server: SourceServer, client: httpx.AsyncClient, text: str, message: str
) -> None:
    server.reply("/sheet.csv", Reply.csv(text))
    error = await error_of(CsvSource(server.url("/sheet.csv"), "Revenue"), client)
    assert error.message == message


# ---- HTTP behaviour ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "The source answered HTTP 404."),
        (500, "The source answered HTTP 500."),
        (304, "The source answered HTTP 304."),
        (302, "The source answered HTTP 302."),  # a redirect without a Location
        (204, "The source did not return valid JSON."),
    ],
)
async def test_non_success_status(
    server: SourceServer, client: httpx.AsyncClient, status: int, message: str
) -> None:
    server.reply("/metrics", Reply(status=status))
    error = await error_of(JsonSource(server.url("/metrics"), "total"), client)
    assert error.message == message


@pytest.mark.parametrize(
    "reply",
    [Reply(hang=True), Reply(body=b'{"total": ', declared_length=100, hang=True)],
    ids=["no-headers-yet", "body-stalls"],
)
async def test_timeout(server: SourceServer, client: httpx.AsyncClient, reply: Reply) -> None:
    server.reply("/slow", reply)
    policy = FetchPolicy(timeout_seconds=0.3, allow_private=True)
    error = await error_of(JsonSource(server.url("/slow"), "total"), client, policy=policy)
    assert error.message == "The source took longer than 0.3 seconds."
    assert len(server.hits_to("/slow")) == 1


async def test_declared_oversize_is_refused_before_reading(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    # The body never completes: reading it would end in a timeout, not in this message.
    server.reply("/big", Reply(body=b"x" * 1000, declared_length=2_000_000, hang=True))
    policy = FetchPolicy(timeout_seconds=5, allow_private=True)
    error = await error_of(JsonSource(server.url("/big"), "total"), client, policy=policy)
    assert error.message == "The source is larger than 1 MB."


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "GZIP"])
async def test_a_compressed_answer_is_refused_before_it_is_expanded(
    server: SourceServer, client: httpx.AsyncClient, encoding: str
) -> None:
    """A 50 kB gzip body would have expanded to 50 MB in memory before the size check."""
    bomb = gzip.compress(b'{"total": 1' + b" " * 50_000_000 + b"}", compresslevel=9)
    assert len(bomb) < 100_000
    server.reply("/bomb", Reply(body=bomb, headers={"Content-Encoding": encoding}))
    policy = FetchPolicy(timeout_seconds=5, allow_private=True)
    tracemalloc.start()
    try:
        error = await error_of(JsonSource(server.url("/bomb"), "total"), client, policy=policy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.message == (
        f"The source sent a compressed answer ({encoding.lower()}) although Northstar asks "
        "for none; have it send the file uncompressed."
    )
    assert peak < 10_000_000  # nothing was decompressed


async def test_chunked_oversize_stops_once_over_the_limit(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    server.reply("/big", Reply(body=b"1" * (1_000_000 + CHUNK), chunked=True, hang=True))
    policy = FetchPolicy(timeout_seconds=5, allow_private=True)
    error = await error_of(JsonSource(server.url("/big"), "total"), client, policy=policy)
    assert error.message == "The source is larger than 1 MB."


@pytest.mark.parametrize(("size", "fits"), [(1000, True), (1001, False)])
@pytest.mark.parametrize("chunked", [True, False])
async def test_size_limit_boundary(
    server: SourceServer, client: httpx.AsyncClient, size: int, fits: bool, chunked: bool
) -> None:
    document = b'{"total": 4}'
    server.reply("/doc", Reply(body=document + b" " * (size - len(document)), chunked=chunked))
    policy = FetchPolicy(max_bytes=1000, allow_private=True)
    source = JsonSource(server.url("/doc"), "total")
    if fits:
        assert await value_of(source, client, policy=policy) == 4.0
    else:
        error = await error_of(source, client, policy=policy)
        assert error.message == "The source is larger than 1 kB."


async def test_redirects_within_the_limit_are_followed(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    server.reply("/r1", Reply.redirect(server.url("/r2"), status=301))
    server.reply("/r2", Reply.redirect("/r3", status=307))
    server.reply("/r3", Reply.redirect("final", status=308))
    server.reply("/final", Reply.json({"total": 42}))
    assert await value_of(JsonSource(server.url("/r1"), "total"), client) == 42.0
    assert [hit.path for hit in server.hits] == ["/r1", "/r2", "/r3", "/final"]


async def test_too_many_redirects(server: SourceServer, client: httpx.AsyncClient) -> None:
    for number in range(1, 5):
        server.reply(f"/r{number}", Reply.redirect(f"/r{number + 1}"))
    server.reply("/r5", Reply.json({"total": 42}))
    error = await error_of(JsonSource(server.url("/r1"), "total"), client)
    assert error.message == "The source redirected more than 3 times."
    assert [hit.path for hit in server.hits] == ["/r1", "/r2", "/r3", "/r4"]


async def test_connection_refused(client: httpx.AsyncClient) -> None:
    async with SourceServer() as closed:
        url = closed.url("/metrics")
    error = await error_of(JsonSource(url, "total"), client)
    assert error.message == "Northstar could not connect to 127.0.0.1."


async def test_without_a_client_one_is_made(server: SourceServer) -> None:
    server.reply("/metrics", Reply.json({"total": 3}))
    source = JsonSource(server.url("/metrics"), "total")
    assert await fetch_value(source, policy=OPEN, secrets={}) == 3.0


# ---- address guard -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("host", "kind", "shown"),
    [
        ("127.0.0.1", "a loopback address", "127.0.0.1"),
        ("[::1]", "a loopback address", "::1"),
        ("[::ffff:127.0.0.1]", "a loopback address", "::ffff:127.0.0.1"),
        ("10.0.0.5", "a private network address", "10.0.0.5"),
        ("172.16.4.1", "a private network address", "172.16.4.1"),
        ("192.168.1.10", "a private network address", "192.168.1.10"),
        ("[fc00::1]", "a private network address", "fc00::1"),
        ("[64:ff9b::a00:5]", "a private network address", "64:ff9b::a00:5"),
        ("169.254.169.254", "a cloud metadata address", "169.254.169.254"),
        ("[fd00:ec2::254]", "a cloud metadata address", "fd00:ec2::254"),
        ("[::ffff:169.254.169.254]", "a cloud metadata address", "::ffff:169.254.169.254"),
        ("169.254.10.1", "a link-local address", "169.254.10.1"),
        ("[fe80::1]", "a link-local address", "fe80::1"),
        ("100.64.0.1", "a shared (carrier-grade NAT) address", "100.64.0.1"),
        ("224.0.0.1", "a multicast address", "224.0.0.1"),
        ("[ff02::1]", "a multicast address", "ff02::1"),
        ("0.0.0.0", "an unspecified address", "0.0.0.0"),
        ("240.0.0.1", "a reserved address", "240.0.0.1"),
    ],
)
async def test_non_public_addresses_are_refused_without_a_request(
    server: SourceServer,
    client: httpx.AsyncClient,
    router: LoopbackRouter,
    host: str,
    kind: str,
    shown: str,
) -> None:
    server.reply("/metrics", Reply.json({"total": 1}))
    source = JsonSource(server.url("/metrics", host=host), "total")
    error = await error_of(source, client, policy=GUARDED)
    assert error.message == f"The address is {kind} ({shown}), {REFUSAL}"
    assert router.sent == []
    assert server.hits == []


@pytest.mark.parametrize(
    ("answers", "refused"),
    [
        (["10.0.0.5"], "a private network address (10.0.0.5)"),
        ([PUBLIC, "127.0.0.1"], "a loopback address (127.0.0.1)"),
        (["fe80::1"], "a link-local address (fe80::1)"),
        (["169.254.169.254"], "a cloud metadata address (169.254.169.254)"),
    ],
)
async def test_a_name_with_any_non_public_address_is_refused(
    server: SourceServer,
    client: httpx.AsyncClient,
    router: LoopbackRouter,
    answers: list[str],
    refused: str,
) -> None:
    server.reply("/metrics", Reply.json({"total": 1}))
    dns = FakeDns({"intranet.example.test": answers})
    source = JsonSource(server.url("/metrics", host="intranet.example.test"), "total")
    error = await error_of(source, client, policy=GUARDED, dns=dns)
    assert error.message == f"The address resolves to {refused}, {REFUSAL}"
    assert router.sent == []
    assert server.hits == []


async def test_private_name_message(client: httpx.AsyncClient) -> None:
    dns = FakeDns({"intranet.example.test": ["10.0.0.5"]})
    error = await error_of(
        JsonSource("http://intranet.example.test/", "total"), client, policy=GUARDED, dns=dns
    )
    assert error.message == (
        "The address resolves to a private network address (10.0.0.5), which Northstar does "
        "not fetch. Set NORTHSTAR_ALLOW_PRIVATE_URLS=true to allow it."
    )


async def test_the_system_resolver_is_used_by_default(server: SourceServer) -> None:
    server.reply("/metrics", Reply.json({"total": 1}))
    source = JsonSource(server.url("/metrics", host="localhost"), "total")
    with pytest.raises(SourceError) as caught:
        await fetch_value(source, policy=GUARDED, secrets={})
    assert caught.value.message.startswith("The address resolves to a loopback address (")
    assert server.hits == []


async def test_an_unknown_name(client: httpx.AsyncClient, router: LoopbackRouter) -> None:
    error = await error_of(
        JsonSource("http://nowhere.example.test/", "total"), client, policy=GUARDED
    )
    assert error.message == "The host name nowhere.example.test could not be resolved."
    assert router.sent == []


async def test_public_name_connects_to_the_address_it_checked(
    server: SourceServer, client: httpx.AsyncClient, router: LoopbackRouter
) -> None:
    server.reply("/metrics", Reply.json({"total": 9}))
    # A rebinding DNS: every answer after the first points at loopback.
    dns = FakeDns({"public.example.test": [PUBLIC]}, later={"public.example.test": ["127.0.0.1"]})
    source = JsonSource(server.url("/metrics", host="public.example.test"), "total")
    assert await value_of(source, client, policy=GUARDED, dns=dns) == 9.0
    assert dns.asked == ["public.example.test"]
    assert [str(request.url) for request in router.sent] == [
        f"http://{PUBLIC}:{server.port}/metrics"
    ]
    assert server.hits[0].headers["host"] == f"public.example.test:{server.port}"


async def test_rebinding_between_redirects_is_refused(
    server: SourceServer, client: httpx.AsyncClient, router: LoopbackRouter
) -> None:
    server.reply("/hop", Reply.redirect("/metrics"))
    server.reply("/metrics", Reply.json({"total": 9}))
    dns = FakeDns({"public.example.test": [PUBLIC]}, later={"public.example.test": ["127.0.0.1"]})
    source = JsonSource(server.url("/hop", host="public.example.test"), "total")
    error = await error_of(source, client, policy=GUARDED, dns=dns)
    assert error.message == f"The address resolves to a loopback address (127.0.0.1), {REFUSAL}"
    assert [hit.path for hit in server.hits] == ["/hop"]


async def test_https_sends_the_name_for_tls_to_the_checked_address(
    client: httpx.AsyncClient, router: LoopbackRouter
) -> None:
    dns = FakeDns({"secure.example.test": ["93.184.216.36"]})
    source = JsonSource("https://secure.example.test/metrics?key=abc", "total")
    error = await error_of(source, client, policy=GUARDED, dns=dns)
    assert error.message == "Northstar could not connect to secure.example.test."
    (request,) = router.sent
    assert str(request.url) == "https://93.184.216.36/metrics?key=abc"
    assert request.headers["host"] == "secure.example.test"
    assert request.extensions["sni_hostname"] == "secure.example.test"


@pytest.mark.parametrize(
    ("certified_name", "message"),
    [
        ("secure.example.test", None),
        (
            "wrong.example.test",
            "The HTTPS certificate of secure.example.test could not be verified.",
        ),
    ],
)
async def test_https_to_the_checked_address_verifies_the_certificate_for_the_name(
    tmp_path: Path, certified_name: str, message: str | None
) -> None:
    certificate = Certificate.create(certified_name, tmp_path)
    router = LoopbackRouter({PUBLIC}, verify=certificate.client_context())
    dns = FakeDns({"secure.example.test": [PUBLIC]})
    async with (
        SourceServer(tls=certificate.server_context()) as server,
        httpx.AsyncClient(transport=router, trust_env=False) as client,
    ):
        server.reply("/metrics", Reply.json({"total": 11}))
        source = JsonSource(server.url("/metrics", host="secure.example.test"), "total")
        if message is None:
            assert await value_of(source, client, policy=GUARDED, dns=dns) == 11.0
            assert server.hits[0].headers["host"] == f"secure.example.test:{server.port}"
        else:
            error = await error_of(source, client, policy=GUARDED, dns=dns)
            assert error.message == message
            assert server.hits == []
    assert [str(request.url) for request in router.sent] == [
        f"https://{PUBLIC}:{server.port}/metrics"
    ]


async def test_the_next_checked_address_is_tried_when_one_cannot_connect(
    server: SourceServer, client: httpx.AsyncClient, router: LoopbackRouter
) -> None:
    server.reply("/metrics", Reply.json({"total": 6}))
    dns = FakeDns({"public.example.test": ["93.184.216.36", PUBLIC]})
    source = JsonSource(server.url("/metrics", host="public.example.test"), "total")
    assert await value_of(source, client, policy=GUARDED, dns=dns) == 6.0
    assert [request.url.host for request in router.sent] == ["93.184.216.36", PUBLIC]


async def test_a_shared_client_does_not_reuse_a_connection_for_another_name(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    server.reply("/metrics", Reply.json({"total": 2}))
    # Both names share one address; the second must not ride on the first one's connection.
    dns = FakeDns({"public.example.test": [PUBLIC], "other.example.test": [PUBLIC]})
    for host in ("public.example.test", "other.example.test"):
        source = JsonSource(server.url("/metrics", host=host), "total")
        assert await value_of(source, client, policy=GUARDED, dns=dns) == 2.0
    first, second = server.hits
    assert first.peer is not None
    assert first.peer != second.peer


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://10.0.0.5/", f"The address is a private network address (10.0.0.5), {REFUSAL}"),
        (
            "http://169.254.169.254/latest/meta-data",
            f"The address is a cloud metadata address (169.254.169.254), {REFUSAL}",
        ),
        (
            "http://127.0.0.1:{port}/metrics",
            f"The address is a loopback address (127.0.0.1), {REFUSAL}",
        ),
        (
            "http://intranet.example.test:{port}/metrics",
            f"The address resolves to a private network address (192.168.1.10), {REFUSAL}",
        ),
        ("file:///etc/passwd", "Only http and https addresses can be fetched, not file."),
        ("http://[::1", "The source sent a response that is not valid HTTP."),
    ],
)
async def test_redirect_to_a_refused_address(
    server: SourceServer,
    client: httpx.AsyncClient,
    router: LoopbackRouter,
    location: str,
    message: str,
) -> None:
    # /metrics would answer: only the guard stands between the redirect and the value.
    server.reply("/metrics", Reply.json({"total": 1}))
    server.reply("/hop", Reply.redirect(location.format(port=server.port)))
    dns = FakeDns({"public.example.test": [PUBLIC], "intranet.example.test": ["192.168.1.10"]})
    source = JsonSource(server.url("/hop", host="public.example.test"), "total")
    error = await error_of(source, client, policy=GUARDED, dns=dns)
    assert error.message == message
    assert [hit.path for hit in server.hits] == ["/hop"]
    assert len(router.sent) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/kpi.csv", "Only http and https addresses can be fetched, not ftp."),
        ("file:///etc/passwd", "Only http and https addresses can be fetched, not file."),
        ("example.com/kpi", "Only http and https addresses can be fetched, not no scheme."),
        (
            "http://ada:pw@example.com/",
            "The address contains a user name or password; "
            "send credentials in a header from an environment variable instead.",
        ),
        ("http:///path", "The address has no host name."),
        ("http://[::1", "The address is not a valid URL."),
    ],
)
async def test_malformed_addresses_are_refused(
    client: httpx.AsyncClient, router: LoopbackRouter, url: str, message: str
) -> None:
    error = await error_of(JsonSource(url, "total"), client)
    assert error.message == message
    assert router.sent == []


# ---- secret header -------------------------------------------------------------------------
def _with_secret(path: str, server: SourceServer, *, host: str = "127.0.0.1") -> JsonSource:
    return JsonSource(
        server.url(path, host=host),
        "total",
        header_name="X-Api-Key",
        secret_env="NORTHSTAR_KPI_SECRET_KPI_TOKEN",
    )


def _needs_key(hit: Hit) -> Reply:
    return Reply.json({"total": 5}) if hit.headers.get("x-api-key") == SECRET else Reply(401)


def _everything_said(error: SourceError) -> str:
    return error.message + "".join(traceback.format_exception(error))


async def test_the_secret_header_is_sent(server: SourceServer, client: httpx.AsyncClient) -> None:
    server.reply("/metrics", _needs_key)
    assert await value_of(_with_secret("/metrics", server), client, secrets=ENV) == 5.0
    assert server.hits[0].headers["x-api-key"] == SECRET


async def test_a_secret_echoed_back_is_not_repeated(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    server.reply("/echo", lambda hit: Reply.json({"total": hit.headers.get("x-api-key", "")}))
    error = await error_of(_with_secret("/echo", server), client, secrets=ENV)
    assert error.message == "The value at total is '[secret]', not a number."
    assert SECRET not in _everything_said(error)


@pytest.mark.parametrize(
    "document",
    [{"total": "Rejected key: " + SECRET * 3}, {"Key " + SECRET * 3: 1}],
    ids=["in-a-value", "in-a-key"],
)
async def test_a_secret_echoed_in_long_text_is_hidden_before_shortening(
    server: SourceServer, client: httpx.AsyncClient, document: dict[str, object]
) -> None:
    server.reply("/echo", Reply.json(document))
    error = await error_of(_with_secret("/echo", server), client, secrets=ENV)
    assert "[secret]" in error.message
    assert SECRET[:6] not in _everything_said(error)


async def test_a_secret_in_a_redirect_host_name_is_hidden(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    server.reply("/start", Reply.redirect(f"http://{SECRET}.example.test/"))
    source = _with_secret("/start", server, host="public.example.test")
    error = await error_of(source, client, policy=GUARDED, secrets=ENV, dns=public_dns())
    assert error.message == "The host name [secret].example.test could not be resolved."
    assert SECRET.lower() not in _everything_said(error).lower()


async def test_a_failing_source_with_a_secret_does_not_show_it(
    server: SourceServer, client: httpx.AsyncClient
) -> None:
    error = await error_of(_with_secret("/missing", server), client, secrets=ENV)
    assert error.message == "The source answered HTTP 404."
    assert server.hits[0].headers["x-api-key"] == SECRET
    assert SECRET not in _everything_said(error)


@pytest.mark.parametrize(
    ("target_host", "keeps_secret"),
    [("public.example.test", True), ("other.example.test", False)],
)
async def test_the_secret_stays_with_the_origin_it_was_meant_for(
    server: SourceServer, client: httpx.AsyncClient, target_host: str, keeps_secret: bool
) -> None:
    server.reply("/start", Reply.redirect(server.url("/metrics", host=target_host)))
    server.reply("/metrics", lambda hit: Reply.json({"total": 5}))
    source = _with_secret("/start", server, host="public.example.test")
    value = await value_of(source, client, policy=GUARDED, secrets=ENV, dns=public_dns())
    assert value == 5.0
    assert server.hits_to("/start")[0].headers["x-api-key"] == SECRET
    assert ("x-api-key" in server.hits_to("/metrics")[0].headers) == keeps_secret


UNAVAILABLE = (
    "The header's value NORTHSTAR_KPI_SECRET_KPI_TOKEN is not available: ask whoever runs "
    "Northstar to set a usable NORTHSTAR_KPI_SECRET_… variable and name it here."
)


@pytest.mark.parametrize(
    "secrets",
    [
        {},
        {"NORTHSTAR_KPI_SECRET_KPI_TOKEN": ""},
        {"NORTHSTAR_KPI_SECRET_KPI_TOKEN": SECRET + "\r\nX-Injected: 1"},
        {"NORTHSTAR_KPI_SECRET_KPI_TOKEN": SECRET + "é"},
    ],
    ids=["unset", "empty", "header-injection", "not-ascii"],
)
async def test_an_unusable_secret_stops_before_any_request(
    server: SourceServer, client: httpx.AsyncClient, secrets: dict[str, str]
) -> None:
    server.reply("/metrics", _needs_key)
    error = await error_of(_with_secret("/metrics", server), client, secrets=secrets)
    assert error.message == UNAVAILABLE  # the same words whatever the reason
    assert SECRET not in _everything_said(error)
    assert server.hits == []


@pytest.mark.parametrize(
    "variable",
    [
        "SLACK_SIGNING_SECRET",
        "SLACK_BOT_TOKEN",
        "SLACK_CLIENT_SECRET",
        "NORTHSTAR_SECRET_KEY",
        "DATABASE_URL",
        "NORTHSTAR_KPI_SECRET_",
        "northstar_kpi_secret_x",
    ],
)
async def test_a_stored_source_naming_a_server_secret_never_sends_it(
    server: SourceServer, client: httpx.AsyncClient, variable: str
) -> None:
    """A source saved before the prefix rule, naming any variable: nothing is sent, and even a
    secrets mapping that (wrongly) held the variable would not be read."""
    server.reply("/metrics", _needs_key)
    source = JsonSource(
        server.url("/metrics"), "total", header_name="X-Api-Key", secret_env=variable
    )
    error = await error_of(source, client, secrets={variable: SECRET})
    assert "cannot hold a header's value" in error.message
    assert "NORTHSTAR_KPI_SECRET_SOMETHING" in error.message
    assert SECRET not in _everything_said(error)
    assert server.hits == []


# ---- configuration -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "message"),
    [
        (JsonSource("gopher://example.com/", "a"), "Only http and https"),
        (JsonSource("https://example.com/", " "), "Give the path to the number"),
        (JsonSource("https://example.com/", "data..total"), "Give the path to the number"),
        (JsonSource("https://example.com/", "a", header_name="X-Key"), "A header needs both"),
        (JsonSource("https://example.com/", "a", secret_env="KEY"), "A header needs both"),
        (
            JsonSource("https://example.com/", "a", header_name="X-Key\r\nEvil", secret_env="K"),
            "'X-Key\\r\\nEvil' is not a valid HTTP header name.",
        ),
        (
            JsonSource("https://example.com/", "a", header_name="Host", secret_env="K"),
            "The Host header is set by Northstar itself.",
        ),
        (
            JsonSource("https://example.com/", "a", header_name="X-Key", secret_env="api_key"),
            "'api_key' cannot hold a header's value",
        ),
        (
            JsonSource("https://example.com/", "a", header_name="X-Key", secret_env="1KEY"),
            "'1KEY' cannot hold a header's value",
        ),
        (CsvSource("https://example.com/x.csv", ""), "Name the CSV column"),
        (CsvSource("https://example.com/x.csv", "a", match_column="b"), "To pick a row, give both"),
        (CsvSource("https://example.com/x.csv", "a", match_value="b"), "To pick a row, give both"),
        (CsvSource("https://example.com/x.csv", "a", " ", "b"), "The column to match rows on"),
        (CsvSource("http://u@example.com/x.csv", "a"), "The address contains a user name"),
    ],
)
def test_validate_source_refuses_bad_configuration(source: Source, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        validate_source(source)
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    "source",
    [
        JsonSource("https://example.com/api", "data.items.-1.value"),
        JsonSource(
            "https://example.com/api", "total", "Authorization", "NORTHSTAR_KPI_SECRET_API_TOKEN"
        ),
        CsvSource("http://example.com/x.csv", "Revenue"),
        CsvSource("https://example.com/x.csv", "Revenue", "Month", ""),
    ],
)
def test_validate_source_accepts_good_configuration(source: Source) -> None:
    validate_source(source)


@pytest.mark.parametrize(
    ("source", "description"),
    [
        (
            JsonSource("https://ada:pw@api.example.com/v1/kpi?token=abc", "data.total"),
            "data.total in the JSON at https://api.example.com/v1/kpi",
        ),
        (
            JsonSource("https://api.example.com/kpi", "total", "X-Api-Key", "KPI_TOKEN"),
            "total in the JSON at https://api.example.com/kpi, sending X-Api-Key from $KPI_TOKEN",
        ),
        (
            CsvSource("https://docs.example.com/pub?output=csv", "Revenue"),
            "Revenue in the last row of the CSV at https://docs.example.com/pub",
        ),
        (
            CsvSource("http://example.com:8080/s.csv", "Revenue", "Month", "May"),
            "Revenue where Month is 'May' in the CSV at http://example.com:8080/s.csv",
        ),
        (JsonSource("http://[::1", "a"), "a in the JSON at an invalid address"),
    ],
)
def test_describe(source: Source, description: str) -> None:
    assert describe(source) == description


@pytest.mark.parametrize(
    ("value", "allowed"),
    [("true", True), ("1", True), ("YES", True), (" True ", True), ("false", False), ("", False)],
)
def test_policy_from_env(value: str, allowed: bool) -> None:
    policy = policy_from_env({"NORTHSTAR_ALLOW_PRIVATE_URLS": value})
    assert policy == FetchPolicy(allow_private=allowed)


def test_policy_from_env_defaults_to_refusing_private_addresses() -> None:
    assert policy_from_env({}) == FetchPolicy(
        timeout_seconds=10.0, max_bytes=1_000_000, max_redirects=3, allow_private=False
    )


# ---- parse_number --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,500", 12500.0),
        ("$3,000", 3000.0),
        ("45%", 45.0),
        ("1.2k", 1200.0),
        ("1.1K", 1100.0),
        ("2.5m", 2_500_000.0),
        ("3B", 3_000_000_000.0),
        ("-3.5", -3.5),
        (" 7 ", 7.0),
        ("(1,200)", -1200.0),
        ("-$4", -4.0),
        ("$-4", -4.0),
        ("€1,000.25", 1000.25),
        ("4 €", 4.0),
        ("£0.5", 0.5),
        ("\u22122", -2.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("3,5", None),
        ("1,2345", None),
        ("n/a", None),
        ("", None),
        ("-", None),
        ("%", None),
        ("nan", None),
        ("inf", None),
        ("1e999", None),
        ("true", None),
        ("--3", None),
        ("1e3k", None),
    ],
)
def test_parse_number_cases(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@given(st.text())
def test_parse_number_never_raises_and_gives_finite_floats(text: str) -> None:
    value = parse_number(text)
    assert value is None or (isinstance(value, float) and math.isfinite(value))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_reads_back_what_python_writes(number: float) -> None:
    assert parse_number(repr(number)) == number
    assert parse_number(f"{number:,.2f}") == float(f"{number:.2f}")


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["k", "m", "b"]))
def test_parse_number_suffixes_scale_exactly(number: int, suffix: str) -> None:
    scale = {"k": 10**3, "m": 10**6, "b": 10**9}[suffix]
    assert parse_number(f"{number}{suffix}") == float(number * scale)
