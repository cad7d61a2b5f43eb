"""The core never imports a chat platform's library: adapters translate, the core decides."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import facilitator

CORE = Path(facilitator.__file__).resolve().parent
PLATFORM_PACKAGES = ("slack_bolt", "slack_sdk", "discord")


def imported_modules(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                modules.append(first.value)
    return modules


def _is_dynamic_import(call: ast.Call) -> bool:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return name in ("import_module", "__import__") and bool(call.args)


def platform_imports(source: str) -> list[str]:
    return [m for m in imported_modules(source) if m.split(".")[0] in PLATFORM_PACKAGES]


def test_the_core_package_is_the_one_under_test() -> None:
    assert (CORE / "app" / "service.py").is_file()
    assert len(list(CORE.rglob("*.py"))) > 10


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_no_core_module_imports_slack_or_discord(path: Path) -> None:
    assert platform_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import discord",
        "import discord.ui as ui",
        "from discord.ext import commands",
        "import slack_sdk",
        "from slack_sdk.web.async_client import AsyncWebClient",
        "from slack_bolt.async_app import AsyncApp",
        "def f():\n    import slack_bolt\n",
        "import importlib\nimportlib.import_module('discord')",
        "__import__('slack_sdk.web')",
    ],
)
def test_the_checker_sees_every_form_of_platform_import(source: str) -> None:
    assert platform_imports(source) != []


@pytest.mark.parametrize("source", ["import discordant", "from slackish import x", "from . import discord", "x = 'discord'"])
def test_the_checker_ignores_lookalikes_and_relative_modules(source: str) -> None:
    assert platform_imports(source) == []
