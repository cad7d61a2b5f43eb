"""The one error the rules raise: a refusal whose message is shown to the person, privately."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
