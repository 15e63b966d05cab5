"""Small modules and short functions, so a newcomer can read any one of them in one sitting.

No production module over 400 lines; no function over 60 lines, apart from the declarative Block
Kit builders in ``blocks.py`` / ``blocks/`` (a modal is long because Slack's JSON is).
"""

from __future__ import annotations

import ast
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
PRODUCTION = ("bot", "handlers", "scheduler", "storage", "fakeslack")
MODULE_LINES_MAX = 400
FUNCTION_LINES_MAX = 60


def production_modules() -> list[Path]:
    return sorted(
        path
        for package in PRODUCTION
        for path in (CHECKOUT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def is_block_kit_builder(path: Path) -> bool:
    return path.stem == "blocks" or "blocks" in path.parent.parts


def test_no_module_is_longer_than_400_lines() -> None:
    too_long = {
        str(path.relative_to(CHECKOUT)): length
        for path in production_modules()
        if (length := len(path.read_text().splitlines())) > MODULE_LINES_MAX
    }
    assert too_long == {}


def test_no_function_is_longer_than_60_lines() -> None:
    too_long: dict[str, int] = {}
    for path in production_modules():
        if is_block_kit_builder(path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES_MAX:
                    too_long[f"{path.relative_to(CHECKOUT)}:{node.name}"] = length
    assert too_long == {}
