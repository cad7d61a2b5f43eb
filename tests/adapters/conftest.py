"""The `cli` fixture: the `facilitator` command run in this process, as an operator would run it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from adapters.cli import main
from tests.adapters.cli_process import Cli, Finished, is_bot_setting


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    """`facilitator ARGS` in this process, in tmp_path, with only the given settings."""

    def run(args: list[str], settings: dict[str, str] | None = None) -> Finished:
        for key in [k for k in os.environ if is_bot_setting(k)]:
            monkeypatch.delenv(key)
        for key, value in (settings or {}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.chdir(tmp_path)
        capfd.readouterr()
        code = main(args)
        out, err = capfd.readouterr()
        return Finished(code, out, err)

    return run
