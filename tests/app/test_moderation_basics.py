"""Hiding an item during voting: its voters get their votes back. With open tallies each is
told, privately, their own amount and votes left, and nobody else hears of it; with blind
voting one notice in the thread tells everyone alike, so that who is told says nothing about
the item's tally (tests/app/test_blind_secrecy.py). Restoring takes nothing back."""

from __future__ import annotations

from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import Reply, ReplyKind
from tests.app.support import actor, advance_to, say, start, stored, votes_used

FAY = actor("Fay")  # facilitator, and a voter too
ANN, BOB, CY, DEE = actor("Ann"), actor("Bob"), actor("Cy"), actor("Dee")


async def voting(app: FacilitatorApp, settings: str) -> None:
    """Four items, then voting: Ann 2 on #2 and 1 on #1, Bob 1 on #2, Fay 1 on #2 and 1 on #3,
    Cy 1 on #1 only, Dee joined and hasn't voted."""
    await start(app, FAY, title="Hide while voting")
    await say(app, FAY, f"settings {settings}")
    for who, text in ((ANN, "do Give before you ask"), (BOB, "do Keep a learning journal"),
                      (CY, "dont Only broadcast"), (DEE, "do Thank the people who help you")):
        await say(app, who, text)
    await advance_to(app, FAY, "voting")
    for who, numbers in ((ANN, "2 2 1"), (BOB, "2"), (FAY, "2 3"), (CY, "1")):
        replies = await say(app, who, f"vote {numbers}")
        assert ReplyKind.ERROR not in [r.kind for r in replies], replies


def private_to(replies: list[Reply], who: str) -> list[str]:
    return [r.text for r in replies if r.private_to == who]


async def test_hiding_during_open_voting_tells_each_voter_their_own_refund(app: FacilitatorApp) -> None:
    await voting(app, "votes=3 per-item=2 blind=off")
    replies = await say(app, FAY, "hide 2")

    assert all(r.is_private and r.kind is ReplyKind.NOTICE for r in replies), replies
    facilitator, mine = private_to(replies, FAY.user_id)
    assert facilitator == ("#2 is hidden from the lists and the summary. Its 4 votes went back to the "
                           "voters. `/pln restore 2` brings it back.")
    assert mine == "#2 was taken out of the lists, so your vote on it came back to you: 2 left."
    assert private_to(replies, ANN.user_id) == [
        "#2 was taken out of the lists, so your 2 votes on it came back to you: 2 left."]
    assert private_to(replies, BOB.user_id) == [
        "#2 was taken out of the lists, so your vote on it came back to you: 3 left."]
    assert {r.private_to for r in replies} == {FAY.user_id, ANN.user_id, BOB.user_id}  # not Cy, not Dee
    assert len(replies) == 4

    state = await stored(app)
    assert [votes_used(state, who) for who in (ANN, BOB, FAY, CY, DEE)] == [1, 0, 1, 1, 0]
    assert state["votes"] == [(1, ANN.user_id, 1), (1, CY.user_id, 1), (3, FAY.user_id, 1)]
    # The votes left in each notice are real: Ann can spend her two again.
    assert ReplyKind.ERROR not in [r.kind for r in await say(app, ANN, "vote 3 4")]

    # Restoring brings the item back without its votes, and tells no voter anything.
    restored = await say(app, FAY, "restore 2")
    assert [(r.private_to, r.text) for r in restored] == [(FAY.user_id, "#2 is back in the lists.")]
    after = await stored(app)
    assert [votes_used(after, who) for who in (ANN, BOB, FAY)] == [3, 0, 1]
    assert not [v for v in after["votes"] if v[0] == 2]


async def test_hiding_in_an_anonymous_session_names_nobody(app: FacilitatorApp) -> None:
    await voting(app, "votes=3 per-item=2 anonymous=on blind=off")
    replies = await say(app, FAY, "hide 2")
    notices = {r.private_to: r.text for r in replies if r.private_to != FAY.user_id}
    assert set(notices) == {ANN.user_id, BOB.user_id}
    for text in notices.values():
        for who in (FAY, ANN, BOB, CY, DEE):
            assert who.name not in text and who.user_id not in text
    # blind=off: the facilitator may count the votes that came back, but still sees no names.
    facilitator = private_to(replies, FAY.user_id)[0]
    assert "Its 4 votes went back to the voters." in facilitator
    assert not any(who.name in facilitator for who in (ANN, BOB, CY))


async def test_hiding_during_blind_voting_tells_everyone_the_same(app: FacilitatorApp) -> None:
    await voting(app, "votes=3 per-item=2")
    with_votes = await say(app, FAY, "hide 2")
    without_votes = await say(app, FAY, "hide 4")

    for number, replies in (("2", with_votes), ("4", without_votes)):
        # The facilitator's answer doesn't count the item's votes ...
        assert private_to(replies, FAY.user_id) == [
            f"#{number} is hidden from the lists and the summary. Any votes on it went back to the voters. "
            f"`/pln restore {number}` brings it back."]
        # ... and the thread gets one notice, the same whether or not anyone voted for it.
        notice = (f"#{number} was taken out of the lists. If you had voted for it, that vote came back to you: "
                  "`/pln status` shows your votes left.")
        assert [(r.private_to, r.text) for r in replies if r.private_to != FAY.user_id] == [(None, notice)]
    state = await stored(app)
    assert [votes_used(state, who) for who in (ANN, BOB, FAY, CY, DEE)] == [1, 0, 1, 1, 0]  # refunds were made


async def test_hiding_an_item_nobody_voted_for_with_open_tallies_tells_only_the_facilitator(
    app: FacilitatorApp,
) -> None:
    await voting(app, "votes=3 per-item=2 blind=off")
    replies = await say(app, FAY, "hide 4")
    assert [r.private_to for r in replies] == [FAY.user_id]


async def test_after_voting_the_notices_say_the_votes_came_back_without_counting_what_is_left(
    app: FacilitatorApp,
) -> None:
    await voting(app, "votes=3 per-item=2")
    await advance_to(app, FAY, "discussing")
    replies = await say(app, FAY, "hide 2")
    assert private_to(replies, ANN.user_id) == ["#2 was taken out of the lists, so your 2 votes on it came back to you."]
    assert private_to(replies, BOB.user_id) == ["#2 was taken out of the lists, so your vote on it came back to you."]
