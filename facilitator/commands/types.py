"""The commands, as data: what a person asked for, parsed, before anything is looked up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Start:
    title: str = ""
    template: str | None = None  # a template id; None means the default (pln)


@dataclass(frozen=True)
class Join:
    level: str


@dataclass(frozen=True)
class Submit:
    """A new item. `kind` is the word the person used ("do", "don't", "stop", ...);
    the use case maps it to one of the session template's categories."""

    kind: str
    text: str
    from_thread_reply: bool = False
    force: bool = False  # "send anyway": skip the near-duplicate check (`/pln do! TEXT`)
    source: str | None = None  # the platform message it came from, whose edits and deletion follow it


@dataclass(frozen=True)
class Vote:
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Unvote:
    number: int


@dataclass(frozen=True)
class Next:
    seconds: int | None = None  # `/pln next 10m`: a deadline for the phase being opened


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class Status:
    pass


@dataclass(frozen=True)
class Results:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Export:
    format: str = "md"


@dataclass(frozen=True)
class UserRef:
    """Someone named in a command: a platform id when the platform gave one, else a name."""

    user_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Cohost:
    target: UserRef


@dataclass(frozen=True)
class Timer:
    seconds: int | None  # None switches the current timer off


@dataclass(frozen=True)
class ChangeSettings:
    """`settings votes=5 per-item=2 anonymous=on blind=off`; no changes shows the settings.
    Values are checked for form when parsed: numbers in range, booleans as True/False."""

    vote_budget: int | None = None
    max_per_item: int | None = None
    anonymous: bool | None = None
    blind: bool | None = None
    predict: bool | None = None
    followup: int | None = None  # seconds; FOLLOWUP_OFF (0) switches pledge follow-ups off

    @property
    def changes_anything(self) -> bool:
        values = (self.vote_budget, self.max_per_item, self.anonymous, self.blind, self.predict, self.followup)
        return any(value is not None for value in values)

    @property
    def only_followup(self) -> bool:
        """Only the follow-up period changes: allowed in any phase, since pledges are too."""
        others = (self.vote_budget, self.max_per_item, self.anonymous, self.blind, self.predict)
        return self.followup is not None and all(value is None for value in others)


FOLLOWUP_OFF = 0


@dataclass(frozen=True)
class Merge:
    keep: int
    fold: int  # folds into `keep` and disappears from the lists


@dataclass(frozen=True)
class Hide:
    number: int


@dataclass(frozen=True)
class Restore:
    number: int


@dataclass(frozen=True)
class Pair:
    dont: int
    do: int


@dataclass(frozen=True)
class Quiet:
    on: bool = True  # `/pln quiet off` asks for nudges again


@dataclass(frozen=True)
class Why:
    number: int
    text: str


@dataclass(frozen=True)
class Nudge:
    pass


@dataclass(frozen=True)
class Board:
    """`/pln board`: a private link to the session's live board; `reset` revokes every earlier link."""

    reset: bool = False


@dataclass(frozen=True)
class SendPending:
    """The "send anyway" button under a near-duplicate warning: names the held-back submission."""

    pending_id: int


# Deliberation (docs/FACILITATION.md): an agenda for discussing, a second round, predictions.


@dataclass(frozen=True)
class Agenda:
    order: str = "votes"  # a facilitator.domain.deliberation.AgendaOrder value


@dataclass(frozen=True)
class NextItem:
    """`/pln next item [5m]`: post the next item on the agenda, optionally timeboxed."""

    seconds: int | None = None


@dataclass(frozen=True)
class Note:
    """A discussion note on the item being discussed: `/pln note TEXT`, or a `NOTE:` thread reply."""

    text: str
    from_thread_reply: bool = False


@dataclass(frozen=True)
class Revote:
    pass


@dataclass(frozen=True)
class Predict:
    """The items this voter expects most others to back; replaces their earlier prediction."""

    numbers: tuple[int, ...]
# Pledges (docs/FACILITATION.md): what each person will give back, and their follow-ups.


@dataclass(frozen=True)
class Pledge:
    """`/pln pledge [@person] [N] TEXT`: the owner is the person named (by a facilitator), else
    whoever typed it; N is the item the pledge puts into practice."""

    text: str
    owner: UserRef | None = None
    item: int | None = None


@dataclass(frozen=True)
class Pledges:
    """`/pln pledges`: this session's; `/pln pledges all`: the channel's history."""

    all: bool = False


@dataclass(frozen=True)
class PledgeDone:
    number: int
    session: int | None = None  # an earlier session's pledge (`done 2 session=12`); None: this one's


@dataclass(frozen=True)
class PledgeDrop:
    number: int
    session: int | None = None  # an earlier session's pledge (`done 2 session=12`); None: this one's


@dataclass(frozen=True)
class PledgeLater:
    """The "Not yet" button under a follow-up: one more follow-up a period later."""

    number: int
    session: int | None = None


@dataclass(frozen=True)
class ReviseItem:
    """The message an item came from was edited by its author. `kind` and `text` are what it
    says now; `kind` is None when it no longer reads as a submission."""

    source: str
    kind: str | None
    text: str


@dataclass(frozen=True)
class WithdrawItem:
    """The message an item came from was deleted."""

    source: str


Command = (
    Start | Join | Submit | Vote | Unvote | Next | End | Status | Results | Help | Export | Cohost
    | Timer | ChangeSettings | Merge | Hide | Restore | Pair | Quiet | Why | Nudge | Board | SendPending
    | Agenda | NextItem | Note | Revote | Predict | ReviseItem | WithdrawItem
    | Pledge | Pledges | PledgeDone | PledgeDrop | PledgeLater
)
