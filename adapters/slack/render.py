"""Reply -> Block Kit. One reply may become several messages when it outgrows 50 blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.slack import blocks as bk
from adapters.slack import ids
from facilitator.commands.actions import ActionName
from facilitator.domain.text_rules import ITEM_TEXT_LIMIT
from facilitator.replies import Action, IntroView, ItemView, Reply, ReplyKind, Section

# Up to this many votable items get a button each; beyond it a compact list and select
# menus, so 60 or 600 items still fit in few blocks and few messages.
INLINE_VOTE_LIMIT = 10
KIND_LABELS = {"do": "DO", "dont": "DON'T"}


@dataclass(frozen=True)
class SlackMessage:
    text: str  # escaped; the notification and the fallback for clients without blocks
    blocks: list[bk.Block]

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def render(reply: Reply) -> list[SlackMessage]:
    if reply.kind is ReplyKind.INTRO and reply.intro is not None:
        body = intro_blocks(reply.intro, reply)
    else:
        body = body_blocks(reply)
    fallback = bk.clip_escaped(reply.text, bk.FALLBACK_TEXT) or " "
    pages = bk.chunk(body)
    return [SlackMessage(fallback if i == 0 else f"(continued {i + 1}/{len(pages)})", page) for i, page in enumerate(pages)]


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.upper())


def intro_blocks(view: IntroView, reply: Reply) -> list[bk.Block]:
    out: list[bk.Block] = [bk.header(view.title)]
    out += bk.paragraphs(view.prompt)
    if view.readings:
        lines = [f"• {_reading(r.title, r.url)}" for r in view.readings]
        out += bk.text_sections(lines, heading="*Starting readings*")
    if view.levels:
        lines = [f"• *{bk.escape(level.name)}*: {bk.escape(level.description)}" for level in view.levels]
        out += bk.text_sections(lines, heading="*Levels*")
    out += bk.text_sections([bk.escape(line) for line in view.how_to.strip().split("\n")], heading="*How to take part*")
    if view.pledges:
        out += bk.text_sections([f"• {bk.escape(line)}" for line in view.pledges],
                                heading="*Pledges still open from earlier sessions here* (kept? `/pln done N session=S`)")
    session = f" · session {reply.session_id}" if reply.session_id is not None else ""
    out.append(bk.context(f"Facilitated by {bk.escape(view.facilitator)}{session} · {bk.escape(view.phase)}"))
    joins = [a for a in reply.actions if a.name is ActionName.JOIN]
    others = [a for a in reply.actions if a.name is not ActionName.JOIN]
    out += _action_blocks(joins, start=0, primary=True)
    out += _action_blocks(others, start=len(joins))
    return out


def _reading(title: str, url: str | None) -> str:
    if not url:
        return bk.escape(title)
    # A link is <url|label>: the url must not close the link early.
    safe_url = url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C").replace(" ", "%20")
    return f"<{safe_url}|{bk.escape(title)}>"


def body_blocks(reply: Reply) -> list[bk.Block]:
    votes = [a for a in reply.actions if a.name is ActionName.VOTE]
    others = [a for a in reply.actions if a.name is not ActionName.VOTE]
    if reply.kind is ReplyKind.ITEM and len(reply.items) == 1:
        out = [_item_section(reply.items[0], reply.text, votes[0] if votes else None)]
        return out + _action_blocks(others, start=1)
    lead = _lead_text(reply).strip()
    if reply.sections and "\n" not in lead and 0 < len(lead) <= bk.HEADER_TEXT:
        out = [bk.header(lead)]  # "Summary of ...", "Results for ...": a title over its sections
    else:
        out = bk.paragraphs(lead)
    if reply.sections:
        out += section_blocks(reply.sections)
    if votes and len(votes) <= INLINE_VOTE_LIMIT:
        by_number = {item.number: item for item in reply.items}
        for index, vote in enumerate(votes):
            item = by_number.get(int(vote.argument))
            out.append(_vote_row(item, vote, index))
    elif votes:
        out += item_list(reply.items)
        out += vote_selects(votes, reply.items)
    elif reply.items:
        out += item_list(reply.items)
    return out + _action_blocks(others, start=len(votes))


def _lead_text(reply: Reply) -> str:
    """The reply's text up to its first section: the sections are drawn separately."""
    if not reply.sections:
        return reply.text
    marker = f"\n{reply.sections[0].heading}:\n"
    at = reply.text.find(marker)
    return reply.text[:at] if at >= 0 else reply.text.split("\n", 1)[0]


def section_blocks(sections: tuple[Section, ...]) -> list[bk.Block]:
    out: list[bk.Block] = []
    for section in sections:
        out += bk.text_sections([bk.escape(line) for line in section.lines], heading=f"*{bk.escape(section.heading)}*")
    return out


def item_line(item: ItemView) -> str:
    who = f" — {bk.escape(item.author)}" if item.author else ""
    votes = f" ({item.votes} vote{'s' if item.votes != 1 else ''})" if item.votes is not None else ""
    return f"*#{item.number}* {kind_label(item.kind)}: {bk.escape(item.text)}{who}{votes}"


def item_list(items: tuple[ItemView, ...]) -> list[bk.Block]:
    return bk.text_sections([item_line(item) for item in items])


def _item_section(item: ItemView, text: str, vote: Action | None) -> bk.Block:
    block = bk.mrkdwn_section(bk.clip_mrkdwn(item_line(item), bk.SECTION_TEXT))
    if vote is not None:
        block["accessory"] = bk.button(vote.label, ids.action_id(vote.name, 0), ids.button_value(vote))
    return block


def _vote_row(item: ItemView | None, vote: Action, index: int) -> bk.Block:
    line = item_line(item) if item else bk.escape(vote.label)
    block = bk.mrkdwn_section(bk.clip_mrkdwn(line, bk.SECTION_TEXT))
    block["accessory"] = bk.button(vote.label, ids.action_id(vote.name, index), ids.button_value(vote))
    return block


def vote_selects(votes: list[Action], items: tuple[ItemView, ...]) -> list[bk.Block]:
    """Select menus of up to 100 items each: choosing an option casts a vote for it."""
    texts = {item.number: item for item in items}
    elements = []
    for start in range(0, len(votes), bk.SELECT_OPTIONS):
        group = votes[start:start + bk.SELECT_OPTIONS]
        options = []
        for vote in group:
            number = int(vote.argument)
            item = texts.get(number)
            label = f"#{number} {kind_label(item.kind)}: {item.text}" if item else vote.label
            options.append({"text": bk.plain(label, bk.OPTION_TEXT), "value": ids.button_value(vote)})
        first, last = group[0].argument, group[-1].argument
        elements.append({
            "type": "static_select",
            "action_id": ids.action_id(ids.VOTE_SELECT, start // bk.SELECT_OPTIONS),
            "placeholder": bk.plain(f"Vote for an item (#{first}–#{last})", bk.OPTION_TEXT),
            "options": options,
        })
    return bk.actions(elements)


def _action_blocks(actions: list[Action], start: int, primary: bool = False) -> list[bk.Block]:
    elements = [bk.button(a.label, ids.action_id(a.name, start + i), ids.button_value(a), primary)
                for i, a in enumerate(actions)]
    return bk.actions(elements) if elements else []


def add_item_modal(session_id: str, kind: str | None, label: str, channel: str, thread: str | None, *,
                   kinds: tuple[tuple[str, str], ...] = (), initial: str = "") -> dict[str, Any]:
    """The modal behind "Add a DO" / "Add a DON'T" (`kind` set), and behind the message shortcut
    "Add to workshop" (no `kind`: the person picks one of `kinds`, the message's text is filled
    in); private_metadata says where it belongs."""
    metadata = {"session": session_id, "channel": channel}
    if kind:
        metadata["kind"] = kind
    if thread:
        metadata["thread"] = thread
    blocks: list[bk.Block] = []
    if not kind and kinds:
        options = [{"text": bk.plain(name, bk.OPTION_TEXT), "value": value} for value, name in kinds]
        blocks.append({"type": "input", "block_id": ids.KIND_INPUT_BLOCK, "label": bk.plain("Add it as", 2000),
                       "element": {"type": "radio_buttons", "action_id": ids.KIND_INPUT_ACTION, "options": options,
                                   "initial_option": options[0]}})
    text_input: dict[str, Any] = {"type": "plain_text_input", "action_id": ids.ITEM_INPUT_ACTION, "multiline": True,
                                  "max_length": ITEM_TEXT_LIMIT, "min_length": 1}
    if initial:
        text_input["initial_value"] = initial[:ITEM_TEXT_LIMIT]
    blocks.append({"type": "input", "block_id": ids.ITEM_INPUT_BLOCK, "label": bk.plain(label, 2000),
                   "element": text_input})
    return {
        "type": "modal",
        "callback_id": ids.ADD_ITEM_CALLBACK,
        "private_metadata": ids.encode(metadata),
        "title": bk.plain(label, 24),
        "submit": bk.plain("Add", 24),
        "close": bk.plain("Cancel", 24),
        "blocks": blocks,
    }
