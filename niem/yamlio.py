"""Safe YAML loading that remembers the line of every value, so errors can name it."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError, Problem

def _walk(node: yaml.Node, path: tuple, lines: dict, constructor: yaml.SafeLoader) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            # construct the key as safe_load does (e.g. 2017 -> int) so paths match the data
            key = constructor.construct_object(key_node, deep=True)
            _walk(value_node, path + (key,), lines, constructor)
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, constructor)


def load_yaml(path: str | Path) -> tuple[object, dict]:
    """Load YAML with yaml.safe_load semantics; return (data, {path tuple: line number})."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(str(path), None, None, "file not found")]) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError([Problem(str(path), line, None, f"not valid UTF-8 (byte 0x{path.read_bytes()[exc.start]:02x}); save the file as UTF-8")]) from None
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError([Problem(str(path), line, None, f"malformed YAML: {problem}")]) from None
    lines: dict = {}
    if node is not None:
        _walk(node, (), lines, yaml.SafeLoader(""))
    return data, lines


def line_of(lines: dict, path: tuple) -> int | None:
    """Line of the deepest existing prefix of ``path``."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return None


def dotted(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
