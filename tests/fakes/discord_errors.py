"""Discord's error answers, in the shapes the API sends them.

A refused form field comes back as 400 with code 50035 and an `errors` tree that follows the
request body's path, ending in `_errors` (e.g. `embeds[0].title` -> {"embeds": {"0": {"title":
{"_errors": [...]}}}}); discord.py flattens that tree into "In embeds.0.title: ..." lines.
Other refusals are a plain {"code", "message"}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# JSON error codes (Discord's "JSON Error Codes" table), with the messages Discord sends.
UNKNOWN_CHANNEL = (10003, "Unknown Channel")
UNKNOWN_MESSAGE = (10008, "Unknown Message")
UNKNOWN_USER = (10013, "Unknown User")
UNKNOWN_WEBHOOK = (10015, "Unknown Webhook")
UNKNOWN_INTERACTION = (10062, "Unknown interaction")
ALREADY_ACKNOWLEDGED = (40060, "Interaction has already been acknowledged.")
MISSING_ACCESS = (50001, "Missing Access")
EMPTY_MESSAGE = (50006, "Cannot send an empty message")
CANNOT_DM = (50007, "Cannot send messages to this user")
MISSING_PERMISSIONS = (50013, "Missing Permissions")
INVALID_RECIPIENT = (50033, "Invalid Recipient(s)")
INVALID_FORM_BODY = 50035

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldError:
    """One refused field: where it sits in the request body, and Discord's reason."""

    path: Path
    code: str
    message: str

    @property
    def dotted(self) -> str:
        """The path as discord.py prints it ("embeds.0.title")."""
        return ".".join(str(part) for part in self.path)


def too_long(path: Path, limit: int) -> FieldError:
    return FieldError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def bad_length(path: Path, low: int, high: int) -> FieldError:
    return FieldError(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def required(path: Path) -> FieldError:
    return FieldError(path, "BASE_TYPE_REQUIRED", "This field is required")


def too_big(path: Path, limit: int) -> FieldError:
    return FieldError(path, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {limit}.")


def not_one_of(path: Path, allowed: object) -> FieldError:
    return FieldError(path, "BASE_TYPE_CHOICES", f"Value must be one of {allowed}.")


def invalid_form_body(errors: list[FieldError]) -> dict[str, Any]:
    """The 400 body for `errors`: one nested tree, several `_errors` where several fields fail."""
    tree: dict[str, Any] = {}
    for error in errors:
        node = tree
        for part in error.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return {"code": INVALID_FORM_BODY, "errors": tree, "message": "Invalid Form Body"}


def plain(error: tuple[int, str]) -> dict[str, Any]:
    code, message = error
    return {"message": message, "code": code}
