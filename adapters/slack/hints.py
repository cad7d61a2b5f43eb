"""Guidance in the forms that work where it is read.

The core names commands as `/pln ...` in code spans: that is its neutral notation for "this
command", and templates write their how-to the same way. Slack does not run slash commands
typed in a thread ("/pln is not supported in threads. Sorry!"), so wherever a reply is read in
the session thread (everything posted there, and private answers to someone acting there) each
`/pln ...` becomes `@facilitator ...`, which does the same thing there (a mention of the bot
followed by the subcommand). In the channel `/pln` works and stays. Help and the intro gain
a few lines on what works in the thread. Item text is never rewritten: it is what people said.
"""

from __future__ import annotations

import re
from dataclasses import replace

from facilitator.replies import Reply, ReplyKind, Section

MENTION = "@facilitator"
_IN_CODE = re.compile(r"`/pln(?=[\s`])")  # a command in a code span
_LINE_START = re.compile(r"^/pln(?=\s)", re.MULTILINE)  # a help line: "/pln vote N ...  what it does"
IN_THE_THREAD = Section("In the session thread", (
    "Slack doesn't run /pln in threads. There:",
    "reply DO: ... or DON'T: ... to add an item (edit or delete your reply while the session is collecting)",
    f"mention me, then the command: {MENTION} vote 2 5, {MENTION} status, {MENTION} help",
    "or use the buttons; the message menu's \"Add to workshop\" turns any message into an item",
))
INTRO_THREAD_LINE = (
    f"In the thread, reply `DO: ...` or `DON'T: ...`, or mention me with a command "
    f"(`{MENTION} vote 2 5`): Slack doesn't run /pln in threads."
)


def thread_forms(text: str, command_lines: bool = False) -> str:
    """`command_lines`: lines of the command list (help), which start with a bare `/pln`."""
    text = _IN_CODE.sub(f"`{MENTION}", text)
    return _LINE_START.sub(MENTION, text) if command_lines else text


def for_slack(reply: Reply, in_thread: bool) -> Reply:
    """The reply as it should read where it is shown (see above)."""
    if reply.kind is ReplyKind.INTRO and reply.intro is not None:
        intro = replace(reply.intro, how_to=f"{reply.intro.how_to.rstrip()}\n{INTRO_THREAD_LINE}")
        return replace(reply, intro=intro, text=f"{reply.text}\n{INTRO_THREAD_LINE}")
    if reply.kind is ReplyKind.HELP:
        extra = "\n".join(IN_THE_THREAD.lines)
        reply = replace(reply, sections=reply.sections + (IN_THE_THREAD,),
                        text=f"{reply.text}\n\n{IN_THE_THREAD.heading}:\n{extra}")
    if not in_thread or reply.kind is ReplyKind.ITEM:
        return reply
    listed = reply.kind is ReplyKind.HELP
    sections = tuple(Section(s.heading, tuple(thread_forms(line, listed) for line in s.lines)) for s in reply.sections)
    return replace(reply, text=thread_forms(reply.text, listed), sections=sections)
