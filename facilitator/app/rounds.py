"""Vote rounds and predictions: `/pln revote` opens a second blind round after discussion
(Delphi), `/pln predict` says which items a voter expects most others to back (surprisingly
popular, Prelec et al. 2017).

A second round is the voting phase again, so every rule of voting holds in it unchanged: the
vote path, the budget statement, blind tallies (domain.visibility). Predictions are private
to the person who made them until voting closes, blind or not (visibility.predictions_secret).
"""

from __future__ import annotations

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.app.item_views import visible_item_views
from facilitator.domain.actors import Actor, Place
from facilitator.domain.deliberation import MAX_ROUNDS
from facilitator.domain.errors import DomainError
from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.domain.phases import Phase, require_phase
from facilitator.replies import Reply
from facilitator.replies import messages as msg

PREDICTIONS_OFF = ("Predictions are off in this session. A facilitator can switch them on before voting with "
                   "`/pln settings predict=on`. Nothing was changed.")


async def revote(ctx: Context, actor: Actor, place: Place, command: cmd.Revote) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        await ctx.authorize(store, actor, session, command)
        require_phase("revote", Phase(session.phase))
        if session.round >= MAX_ROUNDS:
            raise DomainError(f"This session has had its {MAX_ROUNDS} rounds of voting. `/pln next` closes it.",
                              "last_round")
        closing = session.round
        if not await store.open_round(session.id, closing):
            raise DomainError("Someone else just moved the session on. Check `/pln status`.", "raced")
        await store.record(session.id, actor.user_id, actor.name, "revote", {"round": closing + 1})
        # The row was changed by one UPDATE; keep the loaded object in step with it.
        session.round, session.phase = closing + 1, Phase.VOTING.value
        session.current_item = session.item_deadline = session.deadline = session.deadline_phase = None
        session.nudge_at = None
        items = await visible_item_views(store, session)
    return [msg.phase_changed(session, Phase.VOTING, items)]


async def predict(ctx: Context, actor: Actor, place: Place, command: cmd.Predict) -> list[Reply]:
    numbers = command.numbers
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        require_phase("predict", Phase(session.phase))
        if not session.predict:
            raise DomainError(PREDICTIONS_OFF, "predictions_off")
        if len(set(numbers)) != len(numbers):
            raise DomainError("Name each item once: a prediction says which items most others will back. "
                              "Nothing was changed.", "repeated")
        if len(numbers) > session.vote_budget:
            raise DomainError(f"Predict at most {session.vote_budget} items, as many as your votes. "
                              "Nothing was changed.", "too_many")
        targets = await store.vote_targets(session.id, numbers)
        for number in numbers:
            target = targets.get(number)
            if target is None or target.hidden:
                into = f" (it was merged into #{target.merged_into})" if target and target.merged_into else ""
                raise DomainError(f"There's no item #{number} to predict{into}. Nothing was changed.", "no_item")
        person = await store.ensure_participant(session.id, actor.user_id, actor.name)
        await store.set_prediction(session.id, session.round, person.id, numbers)
        prompt = person.level == UNSPECIFIED_LEVEL and await store.claim_level_prompt(person.id)
    listed = ", ".join(f"#{n}" for n in numbers)
    text = (f"Your prediction for round {session.round}: {listed}. Nobody sees predictions until voting closes; "
            "`/pln predict` again replaces yours.")
    replies = [msg.notice(actor.user_id, text, session.id)]
    if prompt:
        replies.append(msg.pick_level(actor.user_id, session.id, ctx.template_of(session), "Your prediction counts."))
    return replies
