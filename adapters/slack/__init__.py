"""The Slack adapter: translate Slack payloads, call the service, render Block Kit."""
