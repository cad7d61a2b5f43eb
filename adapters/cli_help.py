"""The `facilitator` command's --help texts: what each subcommand does, its settings and defaults."""

from __future__ import annotations

DEBUG_HELP = "on an error, print the full traceback too (or set FACILITATOR_DEBUG=1)"

_DATABASE = """\
database:
  FACILITATOR_DATABASE_URL  a SQLAlchemy URL (default: sqlite:///facilitator.db in the
                            working directory); sqlite:////abs/path.db and
                            postgresql://user@host/dbname work as written"""

EPILOG = f"""\
Settings come from the environment, or from a .env file in the working directory
(the environment wins). Run `facilitator COMMAND --help` for a command's own.

{_DATABASE}
  FACILITATOR_TEMPLATES_DIR a folder of extra workshop templates (*.toml)
  FACILITATOR_DEBUG=1       same as --debug

exit status: 0 done, 1 a problem (said in a line or two on stderr), 2 a usage mistake."""

_DESCRIPTIONS = {
    "run": f"""\
Runs the bot until SIGTERM or SIGINT (Ctrl-C). Every setting it needs is checked
before it starts, and anything missing is named.

{_DATABASE}
  FACILITATOR_HOST, FACILITATOR_PORT  where Slack's HTTP endpoint listens (default 0.0.0.0:3000)

slack:
  SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET  one workspace
  SLACK_APP_TOKEN           an xapp- token: Socket Mode (no signing secret needed)
  SLACK_CLIENT_ID, SLACK_CLIENT_SECRET   OAuth install into many workspaces
  SLACK_API_URL             Web API base URL (default https://slack.com/api/)

discord:
  DISCORD_TOKEN             the bot's token
  DISCORD_API_BASE          REST base URL (default https://discord.com/api/v10)
  DISCORD_GUILD_ID          sync the commands to this server at once (default: globally)
  DISCORD_MESSAGE_CONTENT   true: capture DO:/DON'T: thread replies (privileged intent)
  DISCORD_SHARD_COUNT, DISCORD_SHARD_IDS  share the shards between processes

shell: no settings; lines of NAME: TEXT on stdin, as `facilitator shell`.""",
    "shell": f"""\
The terminal adapter. Each stdin line is NAME: TEXT, where TEXT is what NAME would
type in the channel (`/pln ...`, or a thread reply such as `DO: ...`). All lines share
one channel; private replies start with [to NAME]. Timers print when they end, even
while nobody types. End of input exits with status 0.

{_DATABASE}""",
    "export": f"""\
Exports one session, in any phase, blind voting included (it is for whoever holds the
database, and posts nothing to chat). It only reads: it never creates or upgrades a
database, and it is safe while a bot runs on the same one.

{_DATABASE}""",
    "demo": """\
Runs a simulated PLN workshop with a dozen participants of mixed experience and writes
every export format (md, csv, json, html) into a folder. Its database is temporary and
deleted afterwards.""",
    "db": f"""\
Applies the database migrations (the bot also applies them when it starts).

{_DATABASE}""",
    "discord-invite": """\
Prints the OAuth2 link that adds the bot to a Discord server, with only the permissions
it uses.

  DISCORD_TOKEN             the bot's token (the link needs its application id)""",
}


def describe(command: str) -> str:
    return _DESCRIPTIONS[command]
