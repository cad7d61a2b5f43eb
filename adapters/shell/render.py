"""Core replies -> lines of terminal text. Private replies are marked on every line."""

from __future__ import annotations

from pathlib import Path

from facilitator.replies import Reply


def render(reply: Reply, name_of: dict[str, str], export_dir: Path) -> str:
    text = reply.text
    if reply.attachment is not None:
        path = export_dir / reply.attachment.filename
        path.write_bytes(reply.attachment.content)
        text = f"{text} (saved to {path}, {len(reply.attachment.content)} bytes)"
    if reply.private_to is None:
        return text
    prefix = f"[to {name_of.get(reply.private_to, reply.private_to)}] "
    return "\n".join(prefix + line for line in text.splitlines() or [""])
