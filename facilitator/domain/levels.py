"""Experience levels. Templates declare their own; this is the one level no template may use."""

from __future__ import annotations

# Someone who sent or voted before saying how experienced they are. Stored and exported under
# this name; shown to people as "no level yet" (see level_word).
UNSPECIFIED_LEVEL = "unspecified"


def level_word(level: str) -> str:
    return "no level yet" if level == UNSPECIFIED_LEVEL else level
