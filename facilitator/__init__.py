"""facilitator: the platform-neutral core of a workshop-discussion bot."""

__version__ = "0.1.0"
