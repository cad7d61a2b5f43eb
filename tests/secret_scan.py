"""Finds secrets in captured log lines: every platform token shape, plus the literal test secrets."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

TOKEN_SHAPES = re.compile(r"\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)")
# The signing secrets, client secrets and bot tokens the test suites hand to the bot.
TEST_SECRETS = ("test-signing-secret", "client-secret", "fake-bot-token", "xapp-1-test")


def find_secrets(lines: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    literals = (*TEST_SECRETS, *extra)
    return [line for line in lines if TOKEN_SHAPES.search(line) or any(s in line for s in literals)]


class LogVault(logging.Handler):
    """Keeps every record logged at INFO and above (what the bot logs in production)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a bad log call must not break the run it watches
            self.lines.append(f"{record.name} unformattable record {record.msg!r}")
