"""Experience levels. Templates declare their own; this is the one level no template may use."""

from __future__ import annotations

# Someone who sent or voted before saying how experienced they are. Stored, exported, tallied
# and shown under this one name, so people meet one word for one thing.
UNSPECIFIED_LEVEL = "unspecified"
