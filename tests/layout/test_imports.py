"""The layering rules of the source tree, read from the import statements of every module.

handlers -> bot features -> bot/slack, bot/people, bot/core -> storage; scheduler -> features;
only the composition root (``bot/app``, and the command line above it) imports handlers and
scheduler; ``slack_bolt`` lives only in ``bot/app`` and ``handlers``; no cycles between folders.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "scheduler", "storage", "fakeslack", "bench")
FEATURES = (
    "goals",
    "kpis",
    "checkins",
    "pulse",
    "feedback",
    "digest",
    "home",
    "align",
    "workspace_data",
    "kudos",
    "okrs",
    "strategy",
    "onboarding",
)
FOUNDATION = ("core", "slack", "people")


def folder_of(module: str) -> str:
    """``bot.goals.service`` -> ``bot.goals``; ``storage.repositories.goals`` -> ``storage``."""
    parts = module.split(".")
    if parts[0] == "bot" and len(parts) > 1 and (CHECKOUT / "bot" / parts[1]).is_dir():
        return f"bot.{parts[1]}"
    return parts[0] if parts[0] != "bot" else module


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CHECKOUT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def source_modules() -> tuple[Path, ...]:
    return tuple(
        sorted(path for package in PACKAGES for path in (CHECKOUT / package).rglob("*.py"))
    )


def imports_of(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, at any depth (lazy and TYPE_CHECKING imports count)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = (package or module_name(path)).split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


@cache
def folder_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in source_modules():
        here = folder_of(module_name(path))
        for imported in imports_of(path):
            if imported.split(".")[0] in PACKAGES:
                there = folder_of(imported)
                if there != here and there in KNOWN_FOLDERS():
                    graph.setdefault(here, set()).add(there)
    return graph


@cache
def KNOWN_FOLDERS() -> frozenset[str]:
    return frozenset(folder_of(module_name(path)) for path in source_modules())


def importers_of(target: str) -> set[str]:
    return {folder for folder, targets in folder_graph().items() if target in targets}


def test_the_tree_has_the_rooms_the_docs_describe() -> None:
    rooms = {f"bot.{name}" for name in (*FEATURES, *FOUNDATION, "app", "demo")}
    assert rooms <= KNOWN_FOLDERS()


def test_storage_imports_no_application_code() -> None:
    assert folder_graph().get("storage", set()) <= set()


@pytest.mark.parametrize("folder", [f"bot.{name}" for name in FOUNDATION])
def test_foundation_imports_only_foundation_and_storage(folder: str) -> None:
    allowed = {f"bot.{name}" for name in FOUNDATION} | {"storage"}
    assert folder_graph().get(folder, set()) <= allowed


@pytest.mark.parametrize("feature", [f"bot.{name}" for name in FEATURES])
def test_features_never_import_handlers_app_scheduler_or_demo(feature: str) -> None:
    forbidden = {"handlers", "scheduler", "bot.app", "bot.demo", "bot.cli", "bench", "fakeslack"}
    assert not folder_graph().get(feature, set()) & forbidden


def test_only_the_composition_root_imports_handlers() -> None:
    assert importers_of("handlers") <= {"bot.app"}


def test_only_the_composition_root_imports_scheduler() -> None:
    assert importers_of("scheduler") <= {"bot.app"}


def test_handlers_and_scheduler_stay_below_the_composition_root() -> None:
    for folder in ("handlers", "scheduler"):
        assert not folder_graph().get(folder, set()) & {"bot.app", "bot.demo", "bot.cli"}


def test_fakeslack_and_bench_stand_apart() -> None:
    """The fake Slack is shipped beside the app: it imports none of it; bench never imports
    tests (it uses ``fakeslack``)."""
    assert folder_graph().get("fakeslack", set()) <= set()
    for path in (CHECKOUT / "bench").rglob("*.py"):
        assert not any(name.split(".")[0] == "tests" for name in imports_of(path)), path


def test_slack_bolt_only_in_the_composition_root_and_handlers() -> None:
    offenders = [
        module_name(path)
        for path in source_modules()
        if any(name.split(".")[0] == "slack_bolt" for name in imports_of(path))
        and folder_of(module_name(path)) not in {"bot.app", "handlers", "bench"}
    ]
    assert offenders == []


def test_no_cycles_between_folders() -> None:
    graph = folder_graph()
    done: set[str] = set()

    def visit(folder: str, trail: tuple[str, ...]) -> None:
        if folder in trail:
            cycle = " -> ".join([*trail[trail.index(folder) :], folder])
            pytest.fail(f"folders import each other: {cycle}")
        if folder in done:
            return
        for target in sorted(graph.get(folder, ())):
            visit(target, (*trail, folder))
        done.add(folder)

    for folder in sorted(graph):
        visit(folder, ())
