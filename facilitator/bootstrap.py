"""The composition root: the one place that wires config, database, templates and service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from facilitator.app.board_access import BoardAccess
from facilitator.app.context import Clock, Context, utc_now
from facilitator.app.service import FacilitationService
from facilitator.config import load_config
from facilitator.domain.templates import TemplateLibrary
from facilitator.store.database import Database


@dataclass
class FacilitatorApp:
    db: Database
    service: FacilitationService

    async def close(self) -> None:
        await self.db.close()


async def open_app(
    database_url: str | None = None,
    clock: Clock = utc_now,
    templates_dir: Path | None = None,
    migrate: bool = True,
    public_url: str | None = None,
) -> FacilitatorApp:
    if database_url is None or templates_dir is None:
        config = load_config()
        database_url = database_url or config.database_url
        templates_dir = templates_dir or config.templates_dir
        public_url = public_url or config.public_url
    db = await Database.open(database_url, migrate=migrate)
    boards = BoardAccess(public_url=public_url)
    service = FacilitationService(Context(db, TemplateLibrary(templates_dir), clock=clock, boards=boards))
    return FacilitatorApp(db, service)
