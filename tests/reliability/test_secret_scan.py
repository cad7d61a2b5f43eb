"""The log scanner that guards the whole test run must catch what it is meant to catch."""

from tests.secret_scan import find_secrets


def test_finds_token_shapes_and_literal_secrets() -> None:
    lines = [
        "slack_bolt INFO posted to C1",
        "x DEBUG Authorization: Bearer xoxb-123-abc",
        "y INFO socket mode xapp-1-A111-222",
        "z ERROR signing secret test-signing-secret rejected",
        "w INFO token=xoxp-999",
    ]
    assert find_secrets(lines) == lines[1:]
    assert find_secrets(["discord INFO logged in with s3cr3t"], extra=["s3cr3t"]) == ["discord INFO logged in with s3cr3t"]
    assert find_secrets(["an xoxo message, no token here"]) == []
