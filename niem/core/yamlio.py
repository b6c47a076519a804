"""Safe YAML loading that remembers the line of every value, so errors can name it."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError, Problem, raise_if

# libyaml's parser when PyYAML has it (the wheels do): the same safe_load semantics, ~10x faster,
# which counts in every Snakemake start-up (config and schemas are read each time).
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MERGE_TAG = "tag:yaml.org,2002:merge"  # '<<: *anchor' keys, resolved by safe_load itself
SAFE_TAGS = frozenset(yaml.SafeLoader.yaml_constructors) - {None} | {MERGE_TAG}


def _walk(node: yaml.Node, path: tuple, lines: dict, constructor: yaml.SafeLoader, problems: list, file: str) -> None:
    """Record the line of every value; report tags safe_load would refuse and repeated keys
    (which safe_load would silently drop, keeping only the last value)."""
    line = lines[path] = node.start_mark.line + 1
    if node.tag not in SAFE_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(Problem(file, line, dotted(path), f"YAML tag '{tag}' is not allowed: only plain YAML values "
                                "(text, numbers, lists, mappings) are read, never tags that build Python objects"))
        return
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG or key_node.tag not in SAFE_TAGS:
                _walk(key_node, path, {}, constructor, problems, file)
                continue
            # construct the key as safe_load does (e.g. 2017 -> int) so paths match the data
            key = constructor.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem(file, key_line, dotted(path + (key,)), f"duplicate key '{key}' (also on line {seen[key]}); "
                                        "YAML would silently keep only the last one"))
            seen[key] = key_line
            _walk(value_node, path + (key,), lines, constructor, problems, file)
            lines[path + (key,)] = key_line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, constructor, problems, file)


def load_yaml(path: str | Path) -> tuple[object, dict]:
    """Load YAML with yaml.safe_load semantics; return (data, {path tuple: line number}).

    Raises InputError for unreadable or non-UTF-8 files, malformed YAML, tags other than plain
    YAML's (e.g. ``!!python/object``) and repeated mapping keys, each with its line."""
    path, file = Path(path), str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(file, None, None, "file not found")]) from None
    except OSError as exc:
        raise InputError([Problem(file, None, None, f"cannot read file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(file, line, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]) from None
    try:
        node = yaml.compose(text, Loader=FAST_SAFE_LOADER)  # parse only: builds no objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError([Problem(file, line, None, f"malformed YAML: {getattr(exc, 'problem', None) or exc}")]) from None
    lines: dict = {}
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, yaml.SafeLoader(""), problems, file)
    raise_if(problems)
    return yaml.load(text, Loader=FAST_SAFE_LOADER), lines  # noqa: S506 (a safe loader)


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


def dump_yaml(data) -> str:
    """Plain YAML text of ``data`` (safe dumper: only plain values, keys in their given order)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
