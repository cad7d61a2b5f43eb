"""What someone is told when they join, by level.

A template lists its levels from least to most experienced, so the first level gets the
examples and a two-line how-to, and the last (when there are several) is shown how to add a
"why" to their items. Levels in between get the template's own onboarding line. The template's
line comes first and is never repeated in other words: the bot adds only what it lacks.
"""

from __future__ import annotations

from facilitator.replies import messages as msg
from facilitator.domain.templates import Template


def onboarding_text(template: Template, level: str) -> str:
    own = msg.onboarding(template, level)
    names = template.level_names
    if level == names[0] and len(names) > 1:
        return "\n".join(part for part in (own, _examples(template), _how_to(template)) if part)
    if level == names[-1] and len(names) > 1:
        how = "`/pln why N TEXT` adds a one-line reason to your item #N."
        if not own:  # the template asks for nothing: say why the reason matters, once
            how = f"When you send an item, add a one-line reason so newer people see why it matters: {how}"
        return " ".join(part for part in (own, how) if part)
    return own


def _examples(template: Template) -> str:
    lines = [f"- {c.label}: {example}" for c in template.categories for example in c.examples]
    return "Examples:\n" + "\n".join(lines) if lines else ""


def _how_to(template: Template) -> str:
    adds = " or ".join(f"`{msg.category_command(c)}`" for c in template.categories[:3])
    return (
        f"How to take part: add an item with {adds} (or a thread reply starting with {template.categories[0].label}:).\n"
        "When voting opens, spend your dots with `/pln vote N`; `/pln status` shows your votes left."
    )
