"""The tables of slack_sdk's installation and OAuth state stores, and Northstar's reads of them.

slack_sdk's ``AsyncSQLAlchemyInstallationStore`` and ``AsyncSQLAlchemyOAuthStateStore`` write
these tables. They are declared here with slack_sdk's own table builders (so every column is the
one the stores read and write) on ``SLACK_METADATA``, a ``MetaData`` of their own: they hold no
Northstar data, so whatever walks ``SQLModel.metadata`` (workspace export and deletion, test
clean-up) leaves them alone. Alembic creates them (migration 0007) and compares them like the
models, because ``storage/migrations/env.py`` targets both metadatas.

The four token columns are ``TEXT`` rather than slack_sdk's ``VARCHAR(200)``: Northstar stores
tokens Fernet-encrypted (``bot/slack/installations_crypto.py``), about 2.5 times longer
than the token.
"""

from __future__ import annotations

import sqlalchemy as sa
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

SLACK_METADATA = sa.MetaData()
SECRET_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


def _widen_secrets(table: sa.Table) -> sa.Table:
    for name in SECRET_COLUMNS:
        if name in table.c:
            table.c[name].type = sa.Text()
    return table


slack_installations = _widen_secrets(
    AsyncSQLAlchemyInstallationStore.build_installations_table(
        SLACK_METADATA, AsyncSQLAlchemyInstallationStore.default_installations_table_name
    )
)
slack_bots = _widen_secrets(
    AsyncSQLAlchemyInstallationStore.build_bots_table(
        SLACK_METADATA, AsyncSQLAlchemyInstallationStore.default_bots_table_name
    )
)
slack_oauth_states = AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(
    SLACK_METADATA, AsyncSQLAlchemyOAuthStateStore.default_table_name
)


async def installed_workspaces(*, session: AsyncSession, client_id: str) -> dict[str, str | None]:
    """Workspaces where this app has a bot token now, each with its Enterprise Grid org (or
    ``None``), by team id. Org-wide installs have no team id and are not served."""
    c = slack_bots.c
    statement = (
        select(c.team_id, c.enterprise_id)
        .where(c.client_id == client_id, c.team_id.is_not(None), c.bot_token.is_not(None))
        .distinct()
        .order_by(c.team_id)
    )
    return {str(team_id): enterprise_id for team_id, enterprise_id in await session.exec(statement)}
