"""The benchmarks' seeds insert goals in bulk, past the app: they write the same rolled-up
progress as the app keeps on write, so benchmarks read what a real workspace holds."""

from __future__ import annotations

from bench import digest_seed, goals_seed
from bench.support import TEAM_ID
from bot.core.runtime import Runtime
from tests.goals.rollup_checks import rollup_differences


async def test_the_goals_benchmark_seeds_rolled_up_progress(runtime: Runtime) -> None:
    await goals_seed.seed(runtime.engine, goals_seed.GoalsSize(goals=300, kpis=2))

    assert await rollup_differences(runtime, TEAM_ID) == []


async def test_the_digest_benchmark_seeds_rolled_up_progress(runtime: Runtime) -> None:
    await digest_seed.seed(runtime.engine, digest_seed.Size(people=40, goals=500, kpis=4))

    assert await rollup_differences(runtime, TEAM_ID) == []
