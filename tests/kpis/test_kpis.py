"""``/kpi`` and its form through signed requests into the real app; replies at the fake Slack."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.core import texts
from bot.core.runtime import Runtime
from bot.kpis.blocks.modal import Field
from fakeslack import FakeSlack
from storage.models import Kpi
from storage.repositories.kpis import add_kpi
from tests.kpis.helpers import (
    TODAY,
    answers,
    ask,
    fix_clock,
    inline_errors,
    kpi_row,
    make_kpi,
    open_form,
    submit,
    text_of,
    values_of,
)
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender
from tests.statements import recorded_statements


@pytest.fixture(autouse=True)
def fixed_clock(runtime: Runtime) -> None:
    fix_clock(runtime)


@pytest.mark.parametrize("text", ["", "help", "HELP", "?"])
async def test_kpi_and_kpi_help_print_help(
    slack: SlackSender, fake_slack: FakeSlack, text: str
) -> None:
    shown = await ask(slack, fake_slack, text)
    for command in ("/kpi new", "/kpi log K-3", "/kpi list", "/kpi show K-3", "/kpi edit K-3"):
        assert command in shown
    assert "at or beyond the green threshold" in shown


async def test_new_opens_a_form_owned_by_the_caller_and_saving_creates_the_kpi(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack, "new Monthly revenue", user=MEMBER_ID)
    inputs = {block["block_id"]: block["element"] for block in view["blocks"] if "element" in block}
    assert inputs[Field.NAME]["initial_value"] == "Monthly revenue"
    assert inputs[Field.OWNER]["initial_user"] == MEMBER_ID
    assert Field.TEAM not in inputs and Field.GOAL not in inputs  # nothing to choose yet
    metadata = json.loads(view["private_metadata"])
    assert metadata["response_url"].endswith("/response/command-1")
    assert metadata["kpi"] is None

    response = await submit(slack, view, answers(), user=MEMBER_ID)
    assert inline_errors(response) == {}
    confirmation = (await fake_slack.wait_for("response_url"))[-1].args
    assert confirmation["_name"] == "command-1" and confirmation["response_type"] == "ephemeral"
    assert "*K-1* Monthly revenue created" in text_of(confirmation["blocks"])
    kpi = await kpi_row(runtime, 1)
    assert kpi is not None
    assert (kpi.name, kpi.unit, kpi.owner_id, kpi.created_by) == (
        "Monthly revenue",
        "$",
        MEMBER_ID,
        MEMBER_ID,
    )
    assert (kpi.target, kpi.green_threshold, kpi.red_threshold) == (15000, 12000, 8000)
    assert kpi.higher_is_better and kpi.cadence == "weekly" and kpi.source is None
    shown = await ask(slack, fake_slack, "show K-1", user=MEMBER_ID)
    assert "$15,000" in shown and "no value yet" in shown and f"<@{MEMBER_ID}>" in shown


async def test_form_offers_teams_and_open_goals_and_stores_the_choice(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await ask_align(slack, fake_slack, "team add Sales")
    view = await open_form(slack, fake_slack)
    team_select = next(b for b in view["blocks"] if b.get("block_id") == Field.TEAM)["element"]
    [option] = team_select["options"]
    assert option["text"]["text"] == "Sales"
    response = await submit(
        slack, view, answers(team=option["value"], direction="lower", green="5", red="9")
    )
    assert inline_errors(response) == {}
    kpi = await kpi_row(runtime, 1)
    assert kpi is not None and kpi.team_ref == int(option["value"])
    assert kpi.higher_is_better is False
    assert "Sales" in await ask(slack, fake_slack, "show K-1")


async def ask_align(slack: SlackSender, fake_slack: FakeSlack, text: str) -> None:
    before = len(fake_slack.calls_to("response_url"))
    await slack.command(text, command="/align")
    await fake_slack.wait_for("response_url", before + 1)


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"name": ""}, Field.NAME, "cannot be empty"),
        ({"name": "Revenue <@U123>"}, Field.NAME, "cannot contain mentions"),
        ({"name": "x" * 81}, Field.NAME, "the most is 80"),
        ({"unit": "*bold*"}, Field.UNIT, "formatting characters"),
        ({"target": "lots"}, Field.TARGET, "“lots” is not a number"),
        ({"target": None}, Field.TARGET, "Enter a number"),
        ({"green": "12,50"}, Field.GREEN, "is not a number"),
        ({"red": "13,000"}, Field.RED, "red threshold must be below the green one"),
        ({"red": "12,000"}, Field.RED, "red threshold must be below the green one"),
        (
            {"direction": "lower", "green": "2", "red": "1"},
            Field.RED,
            "red threshold must be above the green one",
        ),
        ({"url": "https://example.com/x.json"}, Field.SOURCE, "choose JSON or CSV"),
        ({"source": "json", "path": "total"}, Field.URL, "Enter the address"),
        ({"source": "json", "url": "ftp://example.com/x", "path": "a"}, Field.URL, "not ftp"),
        (
            {"source": "json", "url": "https://ada:pw@example.com/x", "path": "a"},
            Field.URL,
            "user name or password",
        ),
        ({"source": "json", "url": "https://example.com/x.json"}, Field.PATH, "JSON path"),
        ({"source": "json", "url": "https://example.com/x", "path": "a..b"}, Field.PATH, "path"),
        (
            {"source": "json", "url": "https://example.com/x", "path": "a", "header": "X-Key"},
            Field.HEADER,
            "both its name and the environment variable",
        ),
        (
            {
                "source": "json",
                "url": "https://example.com/x",
                "path": "a",
                "header": "X-Key",
                "secret_env": "my token",
            },
            Field.HEADER,
            "cannot hold a header's value",
        ),
        (
            {"source": "csv", "url": "https://example.com/x.csv", "path": "mrr", "match": "EMEA"},
            Field.MATCH,
            "column=value",
        ),
        (
            {"source": "csv", "url": "https://example.com/x.csv", "path": "mrr", "header": "X"},
            Field.HEADER,
            "only for JSON sources",
        ),
    ],
)
async def test_form_mistakes_are_shown_on_their_field_and_nothing_is_saved(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    changes: dict[str, str | None],
    field: Field,
    expected: str,
) -> None:
    view = await open_form(slack, fake_slack)
    errors = inline_errors(await submit(slack, view, answers(**changes)))
    assert list(errors) == [field.value]
    assert expected in errors[field.value]
    assert len(errors[field.value]) <= 150
    assert await kpi_row(runtime, 1) is None
    assert fake_slack.calls_to("response_url") == []  # the modal stays open; nothing to confirm


async def test_several_mistakes_are_all_shown_at_once(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    view = await open_form(slack, fake_slack)
    errors = inline_errors(await submit(slack, view, answers(name="", target="?", green="x")))
    assert set(errors) == {Field.NAME.value, Field.TARGET.value, Field.GREEN.value}


async def test_a_source_is_stored_without_any_secret(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack)
    form = answers(
        source="json",
        url="https://metrics.example.com/api/summary",
        path="data.total",
        header="Authorization",
        secret_env="NORTHSTAR_KPI_SECRET_REVENUE",
        cadence="hourly",
    )
    assert inline_errors(await submit(slack, view, form)) == {}
    kpi = await kpi_row(runtime, 1)
    assert kpi is not None and kpi.cadence == "hourly"
    assert kpi.source == {
        "kind": "json",
        "url": "https://metrics.example.com/api/summary",
        "path": "data.total",
        "header_name": "Authorization",
        "secret_env": "NORTHSTAR_KPI_SECRET_REVENUE",
    }
    confirmation = text_of((await fake_slack.wait_for("response_url"))[-1].args["blocks"])
    assert "Sync now" in confirmation
    shown = await ask(slack, fake_slack, "show K-1")
    assert "data.total in the JSON at https://metrics.example.com/api/summary" in shown
    assert "$NORTHSTAR_KPI_SECRET_REVENUE" in shown


async def test_edit_opens_the_form_prefilled_and_saves_the_changes(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await make_kpi(
        runtime,
        name="Churn",
        unit="%",
        higher_is_better=False,
        target=2.5,
        green_threshold=3.0,
        red_threshold=5.25,
        source={
            "kind": "csv",
            "url": "https://x.example/c.csv",
            "column": "churn",
            "match_column": "region",
            "match_value": "EMEA",
        },
    )
    view = await open_form(slack, fake_slack, "edit K-1")
    initial = {
        block["block_id"]: block["element"].get("initial_value")
        or block["element"].get("initial_option", {}).get("value")
        for block in view["blocks"]
        if "element" in block
    }
    assert initial[Field.NAME] == "Churn" and initial[Field.UNIT] == "%"
    assert (initial[Field.TARGET], initial[Field.GREEN], initial[Field.RED]) == ("2.5", "3", "5.25")
    assert initial[Field.DIRECTION] == "lower" and initial[Field.SOURCE] == "csv"
    assert initial[Field.MATCH] == "region=EMEA" and initial[Field.PATH] == "churn"
    assert view["title"]["text"] == "Edit KPI" and json.loads(view["private_metadata"])["kpi"] == 1

    form: dict[str, str | None] = {Field.NAME.value: "Monthly churn", Field.RED.value: "6"}
    assert inline_errors(await submit(slack, view, form)) == {}
    kpi = await kpi_row(runtime, 1)
    assert kpi is not None
    assert (kpi.name, kpi.red_threshold, kpi.target, kpi.unit) == ("Monthly churn", 6, 2.5, "%")
    assert kpi.source is not None and kpi.source["match_value"] == "EMEA"
    assert "Logged 2.5%" in await ask(slack, fake_slack, "log monthly churn 2.5")


async def test_log_by_number_and_by_name_defaults_to_today_and_replaces_the_same_day(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    kpi = await make_kpi(
        runtime,
        name="Monthly revenue",
        unit="$",
        target=15_000,
        green_threshold=10_000,
        red_threshold=5_000,
    )
    first = await ask(slack, fake_slack, "log K-1 12,500")
    assert f"Logged $12,500 for *K-1* Monthly revenue on {TODAY.isoformat()}" in first
    assert ":red_circle:" not in first and ":large_green_circle: green" in first
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    second = await ask(slack, fake_slack, f"log  MONTHLY  revenue $40 {yesterday}")
    assert f"Logged $40 for *K-1* Monthly revenue on {yesterday}" in second
    again = await ask(slack, fake_slack, "log k1 1.2k")
    assert "Logged $1,200" in again and "(replacing $12,500)" in again
    assert ":red_circle: red" in again  # the latest value, 1,200, is below red (5,000)
    stored = await values_of(runtime, kpi)
    assert [(v.recorded_on, v.value, v.author_id) for v in stored] == [
        (TODAY - timedelta(days=1), 40.0, ADMIN_ID),
        (TODAY, 1200.0, ADMIN_ID),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("log", "Give the KPI and then the value"),
        ("log K-1", "Give the KPI and then the value"),
        ("log K-1 2026-11-20", "Give the KPI and then the value"),
        ("log K-1 lots", "`lots` is not a number"),
        ("log K-1 12,50", "`12,50` is not a number"),
        ("log K-1 " + "9" * 10_000, "is not a number"),
        ("log K-1 12 2026-13-01", "`2026-13-01` is not a date"),
        ("log K-1 12 2026-02-30", "`2026-02-30` is not a date"),
        ("log K-1 12 27/11/2026", "Write dates as YYYY-MM-DD"),
        ("log K-1 12 2026-11-28", "2026-11-28 is in the future"),
        ("log K-1 12 2024-11-26", "the earliest date you can log is 2024-11-27"),
        ("log K-99 12", "There is no KPI K-99"),
        ("log K-1234567890 12", "is not a K number"),
        ("log Nothing here 12", "There is no active KPI called “Nothing here”"),
        ("log <script>alert(1)</script> 5", "cannot contain mentions, links or formatting"),
        ("log <!channel> 5", "cannot contain mentions"),
    ],
)
async def test_bad_log_commands_are_explained_and_change_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, expected: str
) -> None:
    kpi = await make_kpi(runtime)
    reply = await ask(slack, fake_slack, text)
    assert expected in reply
    assert "/kpi" in reply  # every refusal shows the right form
    assert await values_of(runtime, kpi) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bogus", "`/kpi` has no subcommand `bogus`"),
        ("list everything", "`/kpi list` takes nothing after it"),
        ("show", "Which KPI?"),
        ("edit", "Which KPI?"),
        ("archive  ", "Which KPI?"),
        ("show K-77", "There is no KPI K-77"),
        ("edit K-77", "There is no KPI K-77"),
        ("unarchive K-77", "There is no KPI K-77"),
        ("show " + "x" * 10_000, "10,000 characters long; the most is 80"),
        ("new " + "y" * 81, "81 characters long; the most is 80"),
        ("new Sales *bold*", "formatting characters"),
        ("x" * 25_000, "25,000 characters long; commands take at most 20,000"),
        ("show K-1\x00", "control character (U+0000)"),
        ("<!here>", "has no subcommand `!here`"),
        ("show <@UMEMBER1|max>", "cannot contain mentions"),
        ("`rm -rf` <script>", "has no subcommand `rm`"),
    ],
)
async def test_bad_commands_are_explained_with_the_right_form(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, text: str, expected: str
) -> None:
    reply = await ask(slack, fake_slack, text)
    assert expected in reply
    assert "/kpi" in reply
    assert fake_slack.calls_to("views.open") == []
    assert await kpi_row(runtime, 1) is None


async def test_several_kpis_with_one_name_ask_for_the_number(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    first = await make_kpi(runtime, name="Revenue")
    await make_kpi(runtime, name="revenue")
    reply = await ask(slack, fake_slack, "log Revenue 10")
    assert "Several KPIs are called “Revenue”: `K-1`, `K-2`" in reply
    assert await values_of(runtime, first) == []
    assert "Logged 10" in await ask(slack, fake_slack, "log K-2 10")


async def test_archive_hides_a_kpi_from_the_list_and_show_says_so(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await make_kpi(runtime, name="Revenue")
    await make_kpi(runtime, name="Churn")
    assert "is archived" in await ask(slack, fake_slack, "archive K-1")
    listed = await ask(slack, fake_slack, "list")
    assert "Churn" in listed and "Revenue" not in listed
    shown = await ask(slack, fake_slack, "show K-1")
    assert "Archived" in shown and "/kpi unarchive K-1" in shown
    assert "is archived. Bring it back first" in await ask(slack, fake_slack, "log K-1 5")
    assert "is archived. Bring it back first" in await ask(slack, fake_slack, "edit K-1")
    assert "already archived" in await ask(slack, fake_slack, "archive K-1")
    assert "active again" in await ask(slack, fake_slack, "unarchive K-1")
    assert "Revenue" in await ask(slack, fake_slack, "list")
    row = await kpi_row(runtime, 1)
    assert row is not None and row.archived is False


async def test_list_shows_latest_value_target_health_and_trend(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    day = TODAY - timedelta(days=1)
    await make_kpi(runtime, name="Revenue", unit="$", values=[(day, 70), (TODAY, 90)])
    await make_kpi(
        runtime,
        name="Churn",
        unit="%",
        higher_is_better=False,
        target=2,
        green_threshold=3,
        red_threshold=5,
        values=[(day, 4), (TODAY, 6)],
    )
    await make_kpi(runtime, name="Signups", values=[(TODAY, 60), (day, 60)])
    await make_kpi(runtime, name="NPS")
    listed = await ask(slack, fake_slack, "list")
    assert ":large_green_circle: *K-1* Revenue · $90 ↑ · target $100" in listed
    assert ":red_circle: *K-2* Churn · 6% ↑ · target 2%" in listed
    assert ":large_yellow_circle: *K-3* Signups · 60 → · target 100" in listed
    assert ":white_circle: *K-4* NPS · no value yet · target 100" in listed


async def test_list_of_150_kpis_stays_within_slack_limits_with_one_query_for_values(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    for index in range(150):
        await make_kpi(runtime, name=f"Metric {index:03d} " + "w" * 60, values=[(TODAY, index)])
    with recorded_statements(runtime) as statements:
        before = len(fake_slack.calls_to("response_url"))
        await slack.command("list", command="/kpi")
        answer = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    assert len(answer["blocks"]) <= 50
    shown = text_of(answer["blocks"])
    assert "Metric 000" in shown and "Metric 149" not in shown
    assert "more. See one with" in shown
    assert answer["text"] == "KPIs: 150"
    value_queries = [s for s in statements if "FROM kpi_value" in s]
    assert len(value_queries) == 1
    assert fake_slack.take_violations() == []


async def test_show_gives_latest_value_target_health_trend_and_sparkline(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    days = [TODAY - timedelta(days=13 - offset) for offset in range(14)]
    values = [0, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 75]
    await make_kpi(runtime, name="Revenue", unit="k€", values=list(zip(days, values, strict=True)))
    shown = await ask(slack, fake_slack, "show revenue")
    assert "K-1 · Revenue" in shown
    assert f"*75 k€* on {TODAY.isoformat()} (amber)" in shown
    assert "green at 80 k€, red at 50 k€ (higher is better)" in shown
    assert "↓ `▁▂▂▃▄▅▅▆▇▇█▆` last 12 values" in shown
    assert "none: values are logged by hand" in shown


async def test_only_owner_team_lead_and_admins_change_a_kpi(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("ULEAD001", name="lea")
    await ask_align(slack, fake_slack, "team add Sales lead <@ULEAD001>")
    view = await open_form(slack, fake_slack)
    team_value = next(b for b in view["blocks"] if b.get("block_id") == Field.TEAM)["element"][
        "options"
    ][0]["value"]
    form = answers(team=team_value, owner="UADMIN01")
    assert inline_errors(await submit(slack, view, form)) == {}
    kpi = await kpi_row(runtime, 1)
    assert kpi is not None
    for text in ("log K-1 5", "archive K-1", "edit K-1"):
        refused = await ask(slack, fake_slack, text, user=MEMBER_ID)
        assert "Only the owner of K-1, the lead of its team and Northstar admins" in refused
    assert await values_of(runtime, kpi) == []
    assert len(fake_slack.calls_to("views.open")) == 1  # only the admin's form opened
    fake_slack.clear()
    assert "Logged $5" in await ask(slack, fake_slack, "log K-1 5", user="ULEAD001")
    homes = await fake_slack.wait_for("views.publish", 2)  # the lead's and the owner's
    assert sorted(call.args["user_id"] for call in homes) == ["UADMIN01", "ULEAD001"]
    owner_home = next(call for call in homes if call.args["user_id"] == "UADMIN01")
    assert "*K-1* Monthly revenue" in text_of(owner_home.args["view"]["blocks"])
    lead_view = await open_form(slack, fake_slack, "edit K-1", user="ULEAD001")
    assert lead_view["title"]["text"] == "Edit KPI"
    assert "is archived" in await ask(slack, fake_slack, "archive K-1")


async def test_anyone_creates_a_kpi_they_own_but_not_one_for_someone_else(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack, user=MEMBER_ID)
    errors = inline_errors(await submit(slack, view, answers(owner=ADMIN_ID), user=MEMBER_ID))
    assert errors == {Field.OWNER.value: errors[Field.OWNER.value]}
    assert "You can create KPIs you own" in errors[Field.OWNER.value]
    assert await kpi_row(runtime, 1) is None
    assert inline_errors(await submit(slack, view, answers(), user=MEMBER_ID)) == {}
    owned = await kpi_row(runtime, 1)
    assert owned is not None and owned.owner_id == MEMBER_ID


async def test_an_owner_slack_does_not_know_is_refused_on_the_owner_field(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack)
    errors = inline_errors(await submit(slack, view, answers(owner="UGHOST99")))
    assert "Slack knows no person <@UGHOST99>" in errors[Field.OWNER.value]
    assert await kpi_row(runtime, 1) is None


async def test_kpis_of_another_workspace_answer_exactly_like_missing_ones(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await make_kpi(runtime, name="Ours")
    others: list[Kpi] = [
        await make_kpi(runtime, name=f"Theirs {n}", team_id="T0OTHER", owner="UOTHER01")
        for n in range(3)
    ]
    assert others[2].number == 3
    for verb in ("show", "edit", "archive", "unarchive", "log"):
        suffix = " 5" if verb == "log" else ""
        theirs = await ask(slack, fake_slack, f"{verb} K-3{suffix}")
        missing = await ask(slack, fake_slack, f"{verb} K-4{suffix}")
        assert theirs == missing.replace("K-4", "K-3")
        assert "There is no KPI K-3" in theirs
    assert "There is no active KPI called “Theirs 1”" in await ask(
        slack, fake_slack, "show Theirs 1"
    )
    assert await values_of(runtime, others[2]) == []
    row = await kpi_row(runtime, 3, team_id="T0OTHER")
    assert row is not None and row.archived is False


async def test_a_team_or_goal_of_another_workspace_cannot_be_chosen(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await ask_align(slack, fake_slack, "team add Sales")
    view = await open_form(slack, fake_slack)
    errors = inline_errors(await submit(slack, view, answers(team="987654")))
    assert errors == {Field.TEAM.value: "That team no longer exists; choose another team or none."}
    assert await kpi_row(runtime, 1) is None


async def test_a_fault_while_saving_keeps_the_form_open_and_writes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = ["disk full"]

    async def add_then_fail(**kwargs: Any) -> Kpi:
        kpi = await add_kpi(**kwargs)  # the row and its number are written ...
        if failures:
            raise RuntimeError(failures.pop())  # ... then something breaks
        return kpi

    monkeypatch.setattr("bot.kpis.changes.add_kpi", add_then_fail)
    view = await open_form(slack, fake_slack)
    errors = inline_errors(await submit(slack, view, answers()))
    assert errors == {Field.NAME.value: texts.FORM_FAULT}
    assert await kpi_row(runtime, 1) is None
    assert inline_errors(await submit(slack, view, answers())) == {}
    saved = await kpi_row(runtime, 1)  # the number of the failed attempt was given back
    assert saved is not None and saved.name == "Monthly revenue"
