"""The core's modules import one way: no module reaches back to one that imports it.

Every import counts, type-only and function-level ones too: a cycle means two layers are one.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "facilitator"


def module_name(path: Path, root: Path) -> str:
    name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
    return name.removesuffix(".__init__")


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = {module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            graph[name] |= {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_core_has_no_import_cycles() -> None:
    assert cycles(import_graph(CORE)) == []


def test_the_check_sees_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "facilitator"
    (package / "app").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "app" / "__init__.py").write_text("")
    (package / "app" / "service.py").write_text("from facilitator.app.votes import vote\n")
    # A function-level import still makes a cycle: the layers are one.
    (package / "app" / "votes.py").write_text("def vote():\n    from facilitator.app import service\n")
    assert cycles(import_graph(package)) == [["facilitator.app.service", "facilitator.app.votes"]]


def test_use_cases_never_import_the_service_or_the_dispatch_table() -> None:
    graph = import_graph(CORE)
    top = {"facilitator.app.service", "facilitator.app.dispatch"}
    reaching_back = sorted(name for name, deps in graph.items() if deps & top and name not in top)
    assert reaching_back == ["facilitator.bootstrap"]


def test_layers_point_one_way() -> None:
    """domain imports nothing of ours but domain; commands only domain; replies and reports never
    the store or the use cases; the store never the use cases."""
    graph = import_graph(CORE)
    allowed = {
        "facilitator.domain": ("facilitator.domain",),
        "facilitator.commands": ("facilitator.commands", "facilitator.domain"),
        "facilitator.replies": ("facilitator.replies", "facilitator.commands", "facilitator.domain"),
        "facilitator.reports": ("facilitator.reports", "facilitator.replies", "facilitator.commands", "facilitator.domain"),
        "facilitator.store": ("facilitator.store", "facilitator.domain"),
    }
    wrong = []
    for name, deps in graph.items():
        layer = next((layer for layer in allowed if name == layer or name.startswith(layer + ".")), None)
        if layer is None:
            continue
        wrong += [f"{name} -> {dep}" for dep in sorted(deps)
                  if not any(dep == ok or dep.startswith(ok + ".") for ok in allowed[layer])]
    assert wrong == []
