"""Snapshots built by hand, for summary and export tests: no database, every number known."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from facilitator.domain.settings import Settings
from facilitator.reports.snapshot import (
    EarlierPledges,
    ItemRecord,
    PairRecord,
    ParticipantRecord,
    PhaseChange,
    PledgeRecord,
    SessionSnapshot,
    VoteRecord,
)
from facilitator.replies import Reading
from facilitator.domain.templates import Template, TemplateLibrary

START = datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)

LIBRARY = TemplateLibrary()


def pln_template(min_level_size: int = 2, levels: tuple[str, ...] | None = None) -> Template:
    """The real prompts/pln.toml, with one reading given a URL so that links get exercised."""
    template = LIBRARY.get("pln")
    readings = (template.readings[0], Reading(template.readings[1].title, "https://example.org/35-ways?a=1&b=<2>"))
    template = replace(template, min_level_size=min_level_size, readings=readings)
    if levels is not None:
        template = replace(template, levels=tuple(lv for lv in template.levels if lv.name in levels))
    return template


@dataclass
class SessionBuilder:
    template: Template = field(default_factory=pln_template)
    anonymous: bool = False
    vote_budget: int = 3
    people: list[ParticipantRecord] = field(default_factory=list)
    items: list[ItemRecord] = field(default_factory=list)
    votes: list[VoteRecord] = field(default_factory=list)
    timeline: list[PhaseChange] = field(default_factory=list)
    pairs: list[PairRecord] = field(default_factory=list)
    pledges: list[PledgeRecord] = field(default_factory=list)
    earlier: EarlierPledges = EarlierPledges(0, 0)

    def person(self, name: str, level: str, facilitator: bool = False) -> int:
        pid = len(self.people) + 1
        self.people.append(ParticipantRecord(pid, f"U{pid:03d}", name, level, facilitator))
        return pid

    def item(
        self, author: int, kind: str, text: str, hidden: bool = False, why: str | None = None, merged_into: int | None = None
    ) -> int:
        """`merged_into`: folded into that item, which hides this one (as `/pln merge` does)."""
        number = len(self.items) + 1
        hidden = hidden or merged_into is not None
        self.items.append(ItemRecord(number, kind, text, author, START + timedelta(minutes=number), hidden, why, merged_into))
        return number

    def pair(self, dont: int, do: int) -> None:
        self.pairs.append(PairRecord(dont, do))

    def pledge(self, person: int, text: str, status: str = "open", item: int | None = None) -> int:
        number = len(self.pledges) + 1
        owner = self.people[person - 1]
        at = START + timedelta(minutes=60 + number)
        self.pledges.append(PledgeRecord(
            number, owner.user_id, owner.name, owner.id, owner.level, text, item, status, at,
            at + timedelta(days=7) if status == "open" else None, at + timedelta(days=2) if status == "done" else None,
        ))
        return number

    def vote(self, person: int, *numbers: int, weight: int = 1) -> None:
        self.votes += [VoteRecord(number, person, weight) for number in numbers]

    def phases(self, *changes: tuple[str, int]) -> None:
        self.timeline = [PhaseChange(phase, START + timedelta(minutes=minutes)) for phase, minutes in changes]

    def build(self, phase: str = "closed", session_id: int = 7, title: str = "PLN workshop") -> SessionSnapshot:
        return SessionSnapshot(
            id=session_id,
            title=title,
            template=self.template,
            platform="slack",
            channel="C1",
            phase=phase,
            settings=Settings(vote_budget=self.vote_budget, anonymous=self.anonymous),
            created_at=START,
            participants=tuple(self.people),
            items=tuple(self.items),
            votes=tuple(self.votes),
            timeline=tuple(self.timeline),
            pairs=tuple(self.pairs),
            pledges=tuple(self.pledges),
            earlier_pledges=self.earlier,
        )


def demo_session(anonymous: bool = False, pledged: bool = False) -> SessionSnapshot:
    """A dozen people of mixed experience; numbers worked out by hand in the tests. `pledged`:
    four of them pledged afterwards (two newcomers, one kept; a veteran's dropped), and of three
    pledges open in the channel when it started, one has been done since."""
    s = SessionBuilder(anonymous=anonymous)
    ana, ben, cem, dia = (s.person(n, "newcomer") for n in ("Ana Newcomb", "Ben Okafor", "Cem Yilmaz", "Dia Lopez"))
    eva, fay, gus = (s.person(n, "practitioner") for n in ("Eva Marsh", "Fay Chen", "Gus Ortega"))
    hal, ida, jon = (s.person(n, "veteran") for n in ("Hal Berg", "Ida Novak", "Jon Reyes"))
    kim = s.person("Kim Tran", "unspecified")
    s.person("Lou Facil", "veteran", facilitator=True)  # lou: silent facilitator, counts as a veteran
    give = s.item(hal, "do", "Give before you ask: share a link or answer a question first.")
    follow = s.item(ana, "do", "Follow a handful of people closely, not hundreds.")
    ask = s.item(ben, "do", 'Ask "naive" questions in public <they help others too> & say thanks.')
    s.item(eva, "do", "Keep a | pipe, a *star*, and =SUM(A1) formula-looking text as sent.")
    s.item(ida, "dont", "Don't only broadcast your own work.")
    s.item(cem, "dont", "Don't expect a tool to make the connections for you.")
    s.item(fay, "dont", "Spam offensive stuff", hidden=True)
    lurk = s.item(jon, "dont", "Don't lurk forever; say hello within a week.")
    s.vote(ana, give, follow, ask)
    s.vote(ben, follow, ask, 6)
    s.vote(cem, follow, ask)
    s.vote(dia, 6)
    s.vote(eva, give, follow, 5)
    s.vote(fay, give, lurk)
    s.vote(gus, give)
    s.vote(hal, give, lurk, 5)
    s.vote(ida, give, lurk)
    s.vote(jon, lurk, follow)
    s.vote(kim, ask)
    s.phases(("collecting", 0), ("voting", 20), ("discussing", 35), ("closed", 65))
    if pledged:
        s.pledge(ana, "Answer one newcomer question a week in #help", item=follow)
        s.pledge(ben, "Say thanks | publicly =SUM(A1) <b>twice</b>", status="done")
        s.pledge(hal, "Host the next session", status="dropped")
        s.pledge(eva, "Share one link a week", item=give)
        s.earlier = EarlierPledges(3, 1)
    return s.build()
