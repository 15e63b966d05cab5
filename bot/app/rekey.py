"""``northstar rekey``: encrypt every stored secret again with the current secret key.

After a key change (the new key in ``NORTHSTAR_SECRET_KEY``, the old one moved to
``NORTHSTAR_OLD_SECRET_KEYS``) Northstar reads what either key encrypted. This command walks
every encrypted column (``storage.repositories.sealed_values``) in batches, one transaction
per batch, and encrypts again with the current key each value that only an old key opens. A
value the current key already opens is left alone, so running it again (or after it was
stopped half-way) rewrites only what is left; once it reports nothing unreadable, the old keys
can be removed. It may run while Northstar runs, as long as Northstar already has the new key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.app import texts_cli
from bot.core.config import Settings
from bot.core.key_ring import InvalidToken, KeyRing
from storage.db import SessionFactory, create_engine, create_session_factory, transaction
from storage.migrate import upgrade
from storage.repositories.sealed_values import (
    SealedColumns,
    replace_sealed,
    sealed_batch,
    sealed_columns,
)

BATCH_ROWS = 500


@dataclass
class TableCount:
    """What ``rekey`` did in one table, counted per encrypted value (not per row)."""

    table: str
    rewritten: int = 0  # re-encrypted with the current key
    current: int = 0  # the current key already opened it
    unreadable: int = 0  # no key of the ring opens it; left as it was


async def rekey(
    sessions: SessionFactory, keys: KeyRing, *, batch_rows: int = BATCH_ROWS
) -> list[TableCount]:
    """Encrypt every stored secret that an old key encrypted again with the current key."""
    return [await _rekey_table(sessions, keys, sealed, batch_rows) for sealed in sealed_columns()]


async def _rekey_table(
    sessions: SessionFactory, keys: KeyRing, sealed: SealedColumns, batch_rows: int
) -> TableCount:
    count = TableCount(sealed.table.name)
    after = None
    while True:
        async with transaction(sessions) as session:
            rows = await sealed_batch(session, sealed, after=after, limit=batch_rows)
            for row in rows:
                for column, value in row.values.items():
                    if value is None:
                        continue
                    try:
                        rotated = _rotated(value, keys)
                    except InvalidToken:
                        count.unreadable += 1
                        continue
                    if rotated is None:
                        count.current += 1
                    elif await replace_sealed(
                        session, sealed, key=row.key, column=column, old=value, new=rotated
                    ):
                        count.rewritten += 1
                    else:  # Northstar wrote it again meanwhile, with the current key
                        count.current += 1
        if len(rows) < batch_rows:
            return count
        after = rows[-1].key


def _rotated(value: str, keys: KeyRing) -> str | None:
    """``value`` encrypted with the current key, or ``None`` when it already is; raises
    ``InvalidToken`` when no key of the ring opens it."""
    try:
        token = value.encode("ascii")
    except UnicodeError as error:
        raise InvalidToken from error
    return None if keys.is_current(token) else keys.rotate(token).decode("ascii")


async def rekey_database(settings: Settings, say: Callable[[str], None]) -> bool:
    """``northstar rekey``: upgrade the schema, re-encrypt, print counts per table; True when
    every value now opens with the current key."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        counts = await rekey(create_session_factory(engine), KeyRing.from_settings(settings))
    finally:
        await engine.dispose()
    for count in counts:
        say(texts_cli.rekey_counts(count.table, count.rewritten, count.current, count.unreadable))
    unreadable = sum(count.unreadable for count in counts)
    say(texts_cli.rekey_unreadable(unreadable) if unreadable else texts_cli.rekey_done())
    return unreadable == 0
