"""Board links: a random token in the URL, only its hash in the database.

The token is 32 random bytes (256 bits, well over the 128 the issue asks for), so a plain
SHA-256 is enough to store it: there is nothing to brute-force, unlike a password, and a
lookup by hash is one indexed equality.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; anything else is not a token of ours.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
BOARD_PATH = "/board/"
# Each `/pln board` mints a link (a stored hash can't be shown again); past this many, the
# facilitator is asked to reset, so a session's links stay few enough to think about.
MAX_LINKS_PER_SESSION = 20


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def looks_like_token(token: str) -> bool:
    return TOKEN_SHAPE.fullmatch(token) is not None


def board_base(public_url: str | None, host: str, port: int) -> str:
    """FACILITATOR_PUBLIC_URL when set, else http://FACILITATOR_HOST:FACILITATOR_PORT (the contract's rule)."""
    if public_url:
        return public_url.rstrip("/")
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def board_link(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{BOARD_PATH}{token}"
