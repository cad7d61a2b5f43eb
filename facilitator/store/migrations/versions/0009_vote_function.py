"""The vote and its take-back as one server-side call each on PostgreSQL: facilitator_vote(),
facilitator_unvote().

Revision ID: 0009
Revises: 0007 (the head of main when this branch merged it; 0003 before)
Create Date: 2026-12-06

Why a function (store/driver_votes.py calls it): a vote must take the session's advisory lock
(store/session_lock.py) and then check what it found under that lock. One plain statement can't:
its snapshot is taken before its first row is read, so a lock taken inside it comes too late for
the checks of that same statement (a vote that waited for `hide 1` would still see #1 visible).
A VOLATILE function takes a fresh snapshot for each statement it runs, so everything after
PERFORM pg_advisory_xact_lock_shared sees what the hide, merge or phase change it waited for
committed. Called outside an explicit transaction it is one round trip: the implicit
transaction of the call holds the lock until the vote is committed.

The rules it enforces are the ones participation.vote's slow path checks, with the same
inputs: the phases the domain allows (p_phases), the session's budget and per-item limit,
visible items. It writes nothing and returns no row whenever any of them says no; the caller
then runs the slow path, which words the refusal. Two refusals come after the budget is spent:
the per-item limit, which the vote's upsert finds (a repeat vote, or a double click), and a new
voter in a session older than stored templates; both raise SQLSTATE FV001, which rolls the
whole call back.

SQLite has nothing to create: its vote is two statements in a BEGIN IMMEDIATE transaction.
"""

from alembic import op


revision = '0009'
down_revision = '0005'
branch_labels = None
depends_on = None

VOTE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION facilitator_vote(
    p_session_id integer, p_tenant text, p_platform text, p_channel text, p_thread text,
    p_phases text[], p_user_id text, p_name text, p_unspecified text, p_now timestamptz,
    p_numbers integer[], p_weights integer[], p_asked integer, p_most_on_one integer, p_lock_namespace integer,
    p_claim_key text)
RETURNS TABLE (voter_id integer, voter_level text, voter_votes_used integer, found_session integer,
               session_budget integer, session_template text, session_template_snapshot text,
               level_prompt_due boolean)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    sid integer := p_session_id;
    s record;
    asked integer := p_asked;  -- sum(p_weights), and p_most_on_one their max: the caller's
    written integer;
    person record;
BEGIN
    IF sid IS NULL AND p_thread IS NOT NULL THEN  -- as SessionsStore.session_by_thread
        SELECT x.id INTO sid FROM sessions AS x
        WHERE x.tenant = p_tenant AND x.thread = p_thread AND (x.channel = p_channel OR x.thread = p_channel)
        ORDER BY x.id DESC LIMIT 1;
    END IF;
    IF sid IS NULL THEN  -- as SessionsStore.open_session_in_channel
        SELECT x.id INTO sid FROM sessions AS x
        WHERE x.tenant = p_tenant AND x.platform = p_platform AND x.channel = p_channel AND x.phase <> 'closed'
        ORDER BY x.id DESC LIMIT 1;
    END IF;
    IF sid IS NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(p_lock_namespace, sid);
    -- From here each statement sees everything committed before the lock was granted. Only the
    -- columns the rules need: the stored template (kilobytes, TOASTed) is read when a reply needs it.
    SELECT x.tenant, x.platform, x.phase, x.vote_budget, x.max_per_item, x.template,
           (SELECT count(*) FROM items AS i
            WHERE i.session_id = x.id AND i.number = ANY (p_numbers) AND NOT i.hidden) AS visible
    INTO s FROM sessions AS x WHERE x.id = sid;
    IF NOT FOUND OR s.tenant <> p_tenant OR s.platform <> p_platform OR NOT (s.phase = ANY (p_phases))
       OR asked > s.vote_budget OR p_most_on_one > s.max_per_item OR s.visible <> cardinality(p_numbers) THEN
        RETURN;
    END IF;
    INSERT INTO participants AS p (session_id, user_id, name, level, votes_used, used_all_votes, joined_at)
    VALUES (sid, p_user_id, p_name, p_unspecified, asked, asked >= s.vote_budget, p_now)
    ON CONFLICT (session_id, user_id) DO UPDATE
        SET votes_used = p.votes_used + asked,
            used_all_votes = p.used_all_votes OR p.votes_used + asked >= s.vote_budget
        WHERE p.votes_used + asked <= s.vote_budget
    RETURNING p.id, p.level, p.votes_used INTO person;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF person.level = p_unspecified THEN  -- the reply offers the levels of the stored template
        SELECT x.template_snapshot INTO session_template_snapshot FROM sessions AS x WHERE x.id = sid;
        IF session_template_snapshot IS NULL THEN
            -- A session older than stored templates: the slow path checks its template file is there.
            RAISE EXCEPTION 'no stored template' USING ERRCODE = 'FV001';
        END IF;
    END IF;
    INSERT INTO votes AS v (session_id, item_id, participant_id, weight)
    SELECT sid, i.id, person.id, w.weight
    FROM unnest(p_numbers, p_weights) AS w(number, weight)
    JOIN items AS i ON i.session_id = sid AND i.number = w.number
    ON CONFLICT (item_id, participant_id) DO UPDATE SET weight = v.weight + excluded.weight
        WHERE v.weight + excluded.weight <= s.max_per_item;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written <> cardinality(p_numbers) THEN
        RAISE EXCEPTION 'an item is at its per-item limit' USING ERRCODE = 'FV001';
    END IF;
    level_prompt_due := false;
    IF person.level = p_unspecified THEN  -- asked to pick a level once per person (migration 0005)
        UPDATE participants SET level_prompted = true WHERE id = person.id AND NOT level_prompted;
        level_prompt_due := FOUND;
    END IF;
    PERFORM facilitator_claim(p_claim_key, p_now);
    voter_id := person.id;
    voter_level := person.level;
    voter_votes_used := person.votes_used;
    found_session := sid;
    session_budget := s.vote_budget;
    session_template := s.template;
    RETURN NEXT;
END
$fn$
"""


# Taking one vote back, the same way: the lock, then fresh checks; the person's row first (as a
# vote locks it first, so a vote and a take-back of one person can't deadlock), then the vote
# (one less, or gone). No row back when the session, phase or person says no; FV001 (all rolled
# back) when there was no vote on that item to take back. The slow path words both.
UNVOTE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION facilitator_unvote(
    p_session_id integer, p_tenant text, p_platform text, p_channel text, p_thread text,
    p_phases text[], p_user_id text, p_number integer, p_lock_namespace integer,
    p_claim_key text, p_now timestamptz)
RETURNS TABLE (found_session integer, voter_votes_used integer, session_budget integer)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    sid integer := p_session_id;
    s record;
    person record;
BEGIN
    IF sid IS NULL AND p_thread IS NOT NULL THEN
        SELECT x.id INTO sid FROM sessions AS x
        WHERE x.tenant = p_tenant AND x.thread = p_thread AND (x.channel = p_channel OR x.thread = p_channel)
        ORDER BY x.id DESC LIMIT 1;
    END IF;
    IF sid IS NULL THEN
        SELECT x.id INTO sid FROM sessions AS x
        WHERE x.tenant = p_tenant AND x.platform = p_platform AND x.channel = p_channel AND x.phase <> 'closed'
        ORDER BY x.id DESC LIMIT 1;
    END IF;
    IF sid IS NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(p_lock_namespace, sid);
    SELECT x.tenant, x.platform, x.phase, x.vote_budget INTO s FROM sessions AS x WHERE x.id = sid;
    IF NOT FOUND OR s.tenant <> p_tenant OR s.platform <> p_platform OR NOT (s.phase = ANY (p_phases)) THEN
        RETURN;
    END IF;
    UPDATE participants AS p SET votes_used = p.votes_used - 1
    WHERE p.session_id = sid AND p.user_id = p_user_id AND p.votes_used >= 1
    RETURNING p.id, p.votes_used INTO person;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE votes AS v SET weight = v.weight - 1 FROM items AS i
    WHERE i.session_id = sid AND i.number = p_number AND v.item_id = i.id AND v.participant_id = person.id
      AND v.weight > 1;
    IF NOT FOUND THEN
        DELETE FROM votes AS v USING items AS i
        WHERE i.session_id = sid AND i.number = p_number AND v.item_id = i.id AND v.participant_id = person.id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no vote to take back' USING ERRCODE = 'FV001';
        END IF;
    END IF;
    PERFORM facilitator_claim(p_claim_key, p_now);
    found_session := sid;
    voter_votes_used := person.votes_used;
    session_budget := s.vote_budget;
    RETURN NEXT;
END
$fn$
"""


# A platform request's replay claim (facilitator/store/claims.py), taken last, once the change is
# written: a second delivery waits on the first's uncommitted key, then finds it and raises FV002,
# which rolls its change back. Taken only on success, so a refusal (no row back) claims nothing
# and the slow path claims the request with the refusal's own transaction.
CLAIM_FUNCTION = r"""
CREATE OR REPLACE FUNCTION facilitator_claim(p_claim_key text, p_now timestamptz)
RETURNS void LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
    IF p_claim_key IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO processed_events (key, seen_at) VALUES (p_claim_key, p_now) ON CONFLICT (key) DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'request already handled' USING ERRCODE = 'FV002';
    END IF;
END
$fn$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(CLAIM_FUNCTION)
        op.execute(VOTE_FUNCTION)
        op.execute(UNVOTE_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS facilitator_unvote")
        op.execute("DROP FUNCTION IF EXISTS facilitator_vote")
        op.execute("DROP FUNCTION IF EXISTS facilitator_claim")
