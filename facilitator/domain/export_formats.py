"""The formats a session can be exported in: the words `/pln export` takes and the exporters."""

from __future__ import annotations

EXPORT_FORMATS = ("md", "csv", "json", "html")
