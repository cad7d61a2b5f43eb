"""What the bot answers, as data. Adapters render it; no markup lives here.

Every reply carries `text`, a complete plain-text rendering (the shell prints it and the
chat adapters use it as the notification fallback). The structured fields let an adapter
draw buttons, tables and embeds from the same facts. Text is never escaped here: escaping
is the renderer's job, because each platform escapes differently.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from facilitator.commands.actions import ActionName
from facilitator.domain.templates import Level, Reading


class ReplyKind(str, enum.Enum):
    INTRO = "intro"  # top-level message that becomes the session thread's root
    ITEM = "item"  # a newly accepted DO or DON'T, posted into the thread
    PHASE = "phase"  # the phase moved on
    RESULTS = "results"  # a tally
    SUMMARY = "summary"  # the end-of-session summary
    STATUS = "status"
    HELP = "help"
    NOTICE = "notice"  # a confirmation or a piece of information
    ERROR = "error"  # a refusal, always private
    PICK_LEVEL = "pick_level"  # ask someone privately to choose a level
    EXPORT = "export"  # a file


@dataclass(frozen=True)
class Action:
    """Something a person can do with one click: a button. What a click means is declared in
    facilitator.commands.actions; `argument` is the level, category, item number or held
    submission the action names."""

    name: ActionName
    label: str
    session_id: int
    argument: str


@dataclass(frozen=True)
class ItemView:
    number: int
    kind: str  # "do" or "dont"
    text: str
    author: str | None  # None in anonymous sessions
    author_level: str | None
    votes: int | None = None  # None while votes are not shown


class TallyRow(NamedTuple):
    """One item's line in a tally. A NamedTuple, not a frozen dataclass: a big session's tally
    makes 5,000 of them, and a frozen dataclass's __init__ took a quarter of the tally's time."""

    number: int
    kind: str
    text: str
    votes: int
    by_level: tuple[tuple[str, int], ...]
    author: str | None

    def votes_for(self, level: str) -> int:
        return dict(self.by_level).get(level, 0)


@dataclass(frozen=True)
class TallySection:
    """One category's items, most votes first (ties in order of arrival)."""

    kind: str
    label: str
    rows: tuple[TallyRow, ...]


@dataclass(frozen=True)
class Tally:
    levels: tuple[str, ...]
    sections: tuple[TallySection, ...]

    def section(self, kind: str) -> TallySection:
        return next(s for s in self.sections if s.kind == kind)


@dataclass(frozen=True)
class IntroView:
    title: str
    prompt: str
    readings: tuple[Reading, ...]
    levels: tuple[Level, ...]
    how_to: str
    phase: str
    facilitator: str
    deadline: datetime | None = None  # when the current phase ends on its own (`/pln timer`), UTC
    # Pledges still open from earlier sessions in this channel, one line each, owners named
    # unless their session was anonymous: the new session starts by reviewing them.
    pledges: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A headed block of plain-text lines: summaries and status are sent as sections so that
    each adapter can lay them out natively (Block Kit sections, embed fields) and split them
    at the platform's size limits."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: str


@dataclass(frozen=True)
class ItemForm:
    """What a form for a new item offers: the session it goes to and its categories, as
    (id, label) pairs, in the template's order."""

    session_id: int
    categories: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    text: str
    private_to: str | None = None  # a platform user id; None means everyone in the session's thread
    session_id: int | None = None
    top_level: bool = False  # post in the channel itself rather than the session thread
    items: tuple[ItemView, ...] = ()
    tally: Tally | None = None
    actions: tuple[Action, ...] = ()
    attachment: Attachment | None = None
    intro: IntroView | None = None
    sections: tuple[Section, ...] = ()
    # The platform message this reply takes the place of, updated where it stands (the post of
    # an item whose author edited or withdrew it); None posts anew.
    replaces: str | None = None
    # A private reply that should reach its person wherever they are, as a direct message,
    # rather than in the session's channel: a pledge's follow-up comes days after the session,
    # when its thread is long scrolled away (docs/FACILITATION.md, "Pledges").
    direct: bool = False

    @property
    def is_private(self) -> bool:
        return self.private_to is not None
