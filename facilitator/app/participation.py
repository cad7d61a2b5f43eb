"""What participants do: join, submit items, vote and take votes back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cache

from sqlalchemy.exc import IntegrityError

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.app.duplicates import hold_if_duplicate
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.domain.numbers import fits
from facilitator.domain.phases import PHASES_FOR, Phase, require_phase
from facilitator.domain.text_rules import clean_item_text
from facilitator.domain.visibility import about_author
from facilitator.replies import ItemForm, ItemView, Reply
from facilitator.replies import messages as msg
from facilitator.replies.onboarding import onboarding_text
from facilitator.store.driver_votes import MOST_NUMBERS, DriverVoted, UnvoteRequest, VoteRequest
from facilitator.store.items import VoteTarget
from facilitator.store.models import ParticipantRow, SessionRow
from facilitator.store.session_lock import SessionLock
from facilitator.store.store import Store


async def join(ctx: Context, actor: Actor, place: Place, command: cmd.Join) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place, lock=SessionLock.SHARED)
        template = ctx.template_of(session)
        spec = template.level_for(command.level)
        if spec is None:
            raise msg.unknown_level(template, command.level)
        level = spec.name
        require_phase("join", Phase(session.phase))
        person = await store.ensure_participant(session.id, actor.user_id, actor.name)
        previous = person.level
        if previous != level:
            await store.set_level(person.id, level)
    if previous == level:
        text = f"You're already in as {level}."
    elif previous == UNSPECIFIED_LEVEL:
        text = f"You joined as {level}."  # the welcome, if any, is the template's onboarding line
    else:
        text = f"You're now counted as {level} (was {previous}); your items and votes count for {level}."
    hint = onboarding_text(template, level)
    return [msg.notice(actor.user_id, f"{text} {hint}".strip(), session.id)]


async def submit(ctx: Context, actor: Actor, place: Place, command: cmd.Submit) -> list[Reply]:
    try:
        return await _submit(ctx, actor, place, command)
    except IntegrityError:
        if command.source is None:
            raise
        return []  # the same message reached two processes at once: the other one added it


async def _submit(ctx: Context, actor: Actor, place: Place, command: cmd.Submit) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        if command.from_thread_reply:
            # Only a reply in a session's own thread is a submission: a "DO: ..." in another
            # thread of the channel is ordinary chat in a conversation we don't run.
            found = await store.session_by_thread(actor.tenant, place.channel, place.thread) if place.thread else None
            if found is None:
                return []
            session = found
            if command.source is not None and await store.item_by_source(session.id, command.source) is not None:
                return []  # this message is an item already (delivered twice)
        else:
            session = await ctx.locate(store, actor, place)
        template = ctx.template_of(session)
        category = template.category_for(command.kind)
        if category is None:
            if command.from_thread_reply:
                return []  # "Note: ..." in the thread is conversation, not a submission
            words = ", ".join(f"`/pln add {c.id} TEXT`" for c in template.categories)
            raise DomainError(f"This session takes {words}.", "unknown_category")
        require_phase("submit", Phase(session.phase))
        text = clean_item_text(command.text)
        # A thread reply is already public under its author's name, and on Discord a plain
        # message can't be answered privately: it goes in as sent, never held back.
        if not command.force and not command.from_thread_reply:
            held = await hold_if_duplicate(store, session, template, actor, category.id, text)
            if held is not None:
                return held
        person = await store.ensure_participant(session.id, actor.user_id, actor.name)
        item = await store.add_item(session.id, category.id, text, person.id, command.source)
        prompt = person.level == UNSPECIFIED_LEVEL and await store.claim_level_prompt(person.id)
    view = ItemView(
        number=item.number,
        kind=item.kind,
        text=item.text,
        author=about_author(session.anonymous, person.name),
        author_level=about_author(session.anonymous, person.level),
    )
    replies = [msg.item_posted(session, template, view)]
    if prompt:
        opening = f"Thanks, your {category.label} is in as #{item.number}."
        replies.append(msg.pick_level(actor.user_id, session.id, template, opening))
    return replies


async def item_form(ctx: Context, actor: Actor, place: Place) -> ItemForm:
    """What a form for a new item offers here, or a DomainError saying why none can be added
    (no session, or not collecting), in submit's own words: asked before a form opens, so
    nobody types in vain. One read, no write."""
    async with ctx.db.read(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
    require_phase("submit", Phase(session.phase))
    template = ctx.template_of(session)
    return ItemForm(session.id, tuple((c.id, c.label) for c in template.categories))


async def submission_refusal(ctx: Context, actor: Actor, place: Place) -> str | None:
    """Why a submission to the session `place` names would be refused where the session stands
    (item_form's rule); None when it would be taken."""
    try:
        await item_form(ctx, actor, place)
    except DomainError as exc:
        return exc.message
    return None


async def vote(ctx: Context, actor: Actor, place: Place, command: cmd.Vote) -> list[Reply]:
    # The driver path writes a vote every rule allows, in one round trip (store/driver_votes.py);
    # anything it refuses comes here, where the refusal is found and worded.
    request = _vote_request(ctx, actor, place, command.numbers)
    voted = None if request is None else await ctx.db.vote_on_driver(request)
    if voted is not None:
        return _voted(ctx, actor, command.numbers, voted)
    numbers = command.numbers
    async with ctx.db.write(ctx.clock()) as store:
        # SHARED: votes run side by side (their statements keep them exact) but never beside a
        # hide, merge or phase change of this session (store/session_lock.py).
        session = await ctx.locate(store, actor, place, lock=SessionLock.SHARED)
        await _require_voting(ctx, store, session, "vote")
        items = await store.vote_targets(session.id, numbers)
        for number in numbers:
            if number not in items or items[number].hidden:
                target = items.get(number)
                raise missing_item(target.merged_into if target else None, number)
        _refuse_repeats(session, numbers)
        voter = await store.spend_votes(session.id, actor.user_id, actor.name, len(numbers), session.vote_budget)
        if voter is None:
            # Refused, so this path may read more: say the per-item limit when that is what
            # stands in the way, since freeing budget would not help then.
            person = await store.participant(session.id, actor.user_id)
            full = await _already_full(store, session, person, items, numbers)
            if full is not None:
                raise DomainError(_item_full(session, full), "item_full")
            left = session.vote_budget - (person.votes_used if person else 0)
            raise DomainError(_over_budget(session, left, len(numbers)), "over_budget")
        for number in numbers:
            if not await store.add_vote(session.id, items[number].id, voter.id, session.max_per_item):
                raise DomainError(_item_full(session, number), "item_full")
        left = session.vote_budget - voter.votes_used
        # Read before the commit: a template that can't be found refuses the vote, never
        # follows a stored one with an error.
        # Asked once per person and session, not with every vote of a burst.
        prompt = (voter.level == UNSPECIFIED_LEVEL and not voter.level_prompted
                  and await store.claim_level_prompt(voter.id))
        template = ctx.template_of(session) if prompt else None
    listed = ", ".join(f"#{n}" for n in numbers)
    replies = [msg.notice(actor.user_id, f"Voted for {listed}. {_votes_left(max(left, 0))}", session.id)]
    if template is not None:
        replies.append(msg.pick_level(actor.user_id, session.id, template, "Your vote counts."))
    return replies


def _vote_request(ctx: Context, actor: Actor, place: Place, numbers: tuple[int, ...]) -> VoteRequest | None:
    """The vote as the driver path takes it; None for a number no column holds (refused below),
    or more numbers than the driver statements take."""
    if len(numbers) > MOST_NUMBERS or not all(fits(n) for n in numbers) or (
            place.session_id is not None and not fits(place.session_id)):
        return None
    asked = Counter(numbers) if len(numbers) > 1 else {numbers[0]: 1}
    return VoteRequest(
        session_id=place.session_id,
        tenant=actor.tenant, platform=place.platform, channel=place.channel, thread=place.thread,
        user_id=actor.user_id, name=actor.name, numbers=tuple(asked), weights=tuple(asked.values()),
        phases=_phases("vote"), now=ctx.clock(),
    )


@cache
def _phases(action: str) -> tuple[str, ...]:
    """The phases the domain lets `action` run in, as the driver statements take them."""
    return tuple(sorted(phase.value for phase in PHASES_FOR[action]))


def _voted(ctx: Context, actor: Actor, numbers: tuple[int, ...], voted: DriverVoted) -> list[Reply]:
    listed = ", ".join(f"#{n}" for n in numbers)
    left = max(voted.vote_budget - voted.votes_used, 0)
    replies = [msg.notice(actor.user_id, f"Voted for {listed}. {_votes_left(left)}", voted.session_id)]
    if voted.level_prompt_due:  # once per person and session, claimed with the vote
        try:
            template = ctx.stored_template(voted.session_id, voted.template, voted.template_snapshot)
        except DomainError:
            # Only a session whose stored copy no longer parses and whose file is gone: the
            # vote is in; the level buttons can't be offered without the template's levels.
            return replies
        replies.append(msg.pick_level(actor.user_id, voted.session_id, template, "Your vote counts."))
    return replies


async def unvote(ctx: Context, actor: Actor, place: Place, command: cmd.Unvote) -> list[Reply]:
    number = command.number
    if fits(number) and (place.session_id is None or fits(place.session_id)):
        # As vote: the driver path takes back a vote that is there to take back, else the
        # slow path says why not.
        unvoted = await ctx.db.unvote_on_driver(UnvoteRequest(
            place.session_id, actor.tenant, place.platform, place.channel, place.thread, actor.user_id, number,
            _phases("unvote"), ctx.clock(),
        ))
        if unvoted is not None:
            left = unvoted.vote_budget - unvoted.votes_used
            return [msg.notice(actor.user_id, f"Took back your vote on #{number}. {_votes_left(left)}",
                               unvoted.session_id)]
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place, lock=SessionLock.SHARED)
        await _require_voting(ctx, store, session, "unvote")
        person = await store.participant(session.id, actor.user_id)
        items = await store.items_by_number(session.id, (number,))
        if number not in items:
            raise DomainError(f"There's no item #{number} in this session.", "no_item")
        if person is None:
            raise DomainError(f"You have no vote on #{number} to take back.", "no_vote")
        # The person's row before the vote's, as every vote and take-back locks them, so two of
        # one person's clicks can't wait on each other on PostgreSQL. A refused take-back rolls
        # the refund back with everything else.
        await store.refund(person.id)
        if not await store.remove_vote(items[number].id, person.id):
            raise DomainError(f"You have no vote on #{number} to take back.", "no_vote")
        left = session.vote_budget - person.votes_used + 1
    return [msg.notice(actor.user_id, f"Took back your vote on #{number}. {_votes_left(left)}", session.id)]


async def send_held(ctx: Context, actor: Actor, place: Place, command: cmd.SendPending) -> list[Reply]:
    """The "send anyway" button under a near-duplicate warning."""
    # Removing the held row first makes a double click send the item once.
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        held = await store.take_held(command.pending_id, session.id, actor.user_id)
    if held is None:
        raise DomainError("That item was already sent (or it was dropped). Send it again if you still want to.", "gone")
    where = Place(place.platform, place.channel, place.thread, session.id)
    return await submit(ctx, actor, where, cmd.Submit(held.kind, held.text, force=True))


def missing_item(merged_into: int | None, number: int) -> DomainError:
    """Why a vote can't go to #number: it never existed, it is hidden, or it lives on in another item."""
    if merged_into is not None:
        return DomainError(f"#{number} was merged into #{merged_into}: vote for #{merged_into} instead. "
                           "Nothing was changed.", "merged")
    return DomainError(f"There's no item #{number} in this session. Nothing was changed.", "no_item")


async def _require_voting(ctx: Context, store: Store, session: SessionRow, action: str) -> None:
    """Votes wait for the facilitator to open voting: say so, and who that is."""
    if Phase(session.phase) is Phase.COLLECTING:
        who = await ctx.facilitators_named(store, session)
        raise DomainError(
            f"Voting hasn't opened yet: the session is still collecting items. {who} will open it with "
            "`/pln next`; until then you can add your own items.",
            "wrong_phase",
        )
    require_phase(action, Phase(session.phase))


def _refuse_repeats(session: SessionRow, numbers: tuple[int, ...]) -> None:
    """`vote 2 2` asks for two votes on #2: refused up front when one person may give fewer."""
    for number in dict.fromkeys(numbers):
        if numbers.count(number) > session.max_per_item:
            raise DomainError(
                f"One person can give an item at most {_votes(session.max_per_item)}; you asked for "
                f"{numbers.count(number)} on #{number}. Nothing was changed.", "item_full",
            )


async def _already_full(
    store: Store, session: SessionRow, person: ParticipantRow | None, items: Mapping[int, VoteTarget],
    numbers: tuple[int, ...],
) -> int | None:
    """The first item this vote would take past the per-item limit, or None."""
    if person is None:
        return None
    for number in dict.fromkeys(numbers):
        held = sum(v.weight for v in await store.votes_on(items[number].id) if v.participant_id == person.id)
        if held + numbers.count(number) > session.max_per_item:
            return number
    return None


def _votes(count: int) -> str:
    return f"{count} vote{'s' if count != 1 else ''}"


def _votes_left(left: int) -> str:
    return "You have no votes left." if left == 0 else f"You have {left} vote{'s' if left != 1 else ''} left."


def _over_budget(session: SessionRow, left: int, asked: int) -> str:
    if left <= 0:
        return (
            f"You've used all {session.vote_budget} of your votes. Nothing was changed; "
            "`/pln unvote N` frees one."
        )
    return (
        f"You have {_votes(left)} left and asked for {asked}. Nothing was changed: vote for fewer items, "
        "or `/pln unvote N` frees a vote."
    )


def _item_full(session: SessionRow, number: int) -> str:
    limit = session.max_per_item
    return (
        f"You've already given #{number} the most votes one person can give an item ({limit}). "
        "Nothing was changed; your other votes can go to other items."
    )
