"""The package's layout: subpackages by DAG stage, no import cycle, each stage importing only from
the stages before it, every module importable on its own."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "niem"
# Stages in DAG order; a module may import from its own stage and the ones listed before it.
# niem.tables / niem.docs (the catalogue of all stages' tables) sit between reports and archive.
LAYERS = ["core", "run", "inputs", "quality", "scoring", "analysis", "reports", "collect", "<top>", "archive"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def resolve(importer: str, is_package: bool, node: ast.ImportFrom | ast.Import, modules: set[str]) -> set[str]:
    """The niem modules an import statement loads (function-level imports included)."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in modules}
    if node.level:
        base = importer.split(".") if is_package else importer.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    out = {target} if target in modules else set()
    out |= {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules}  # from pkg import module
    return out


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges |= resolve(name, path.name == "__init__.py", node, set(modules))
        # importing niem.a.b also runs the package __init__ files on the way: not an edge worth
        # checking (they hold docstrings only, see test_subpackages_have_a_stage_docstring)
        graph[name] = {e for e in edges if e != name and not (modules[e].name == "__init__.py")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1] if len(parts) > 2 or parts[1:] and parts[1] in LAYERS else "<top>")


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_niem_modules():
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_stages_import_only_earlier_stages():
    wrong = [f"{m} ({LAYERS[layer(m)]}) imports {d} ({LAYERS[layer(d)]})"
             for m, deps in import_graph().items() if m != "niem" for d in sorted(deps) if layer(d) > layer(m)]
    assert not wrong, "\n".join(wrong)


def test_every_module_imports_on_its_own():
    """Each module imported in a fresh set of niem modules (one subprocess for all), so none
    depends on another having been imported first."""
    names = sorted(all_modules())
    code = (
        "import importlib, json, sys\n"
        "failed = {}\n"
        f"for name in {names!r}:\n"
        "    for m in [m for m in sys.modules if m == 'niem' or m.startswith('niem.')]:\n"
        "        del sys.modules[m]\n"
        "    if name.endswith('.__main__'):\n"
        "        continue  # runs the command line\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed[name] = repr(exc)\n"
        "print(json.dumps(failed))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {}


def test_catalogue_is_complete_whatever_is_imported_first():
    """Writing a table of another stage works from any script, because niem.tables imports every
    stage's table module; the registry itself imports none."""
    code = ("import niem.reports.tables, niem.tables as t; a = [s.name for s in t.tables_in_stage_order()]\n"
            "import sys, json; print(json.dumps(a))")
    first = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    code2 = code.replace("import niem.reports.tables, ", "import ")
    second = subprocess.run([sys.executable, "-c", code2], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(first.stdout) == json.loads(second.stdout)
    names = json.loads(first.stdout)
    assert names[0] == "bip_statistics" and names[-1] == "pending_evidence"
    registry = ast.parse((PACKAGE / "core" / "registry.py").read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(registry) if isinstance(n, ast.ImportFrom) and n.level > 1]


@pytest.mark.parametrize("package", sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")))
def test_subpackages_have_a_stage_docstring(package):
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 25, f"niem/{package}/__init__.py needs a paragraph saying what stage it is"
    assert package in LAYERS, f"add niem/{package} to LAYERS in this test"
    if package not in ("core", "run"):
        assert "Rule" in doc and "workflow/rules/" in doc, f"niem/{package}: say which rules use it"
