"""Limits on what a YAML file may expand to, checked on the composed node graph before any
value is built: an alias to an enclosing node (a recursive anchor) would build a structure
that contains itself, and aliases of aliases ("billion laughs") a huge one from a few lines."""

from __future__ import annotations

from pathlib import Path

import yaml

from config.errors import ConfigError

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 100_000  # values once every alias is expanded
MAX_DEPTH = 64


def check_shape(path: Path, root: yaml.Node | None) -> None:
    """Raise `ConfigError` for a recursive alias, an expansion past `MAX_NODES` values or
    nesting deeper than `MAX_DEPTH`."""
    if root is None:
        return
    # Depth-first with an explicit stack; `open_nodes` holds the nodes on the current path.
    stack: list[tuple[yaml.Node, str, int, bool]] = [(root, "", 0, False)]
    open_nodes: set[int] = set()
    seen = 0
    while stack:
        node, key, depth, leaving = stack.pop()
        if leaving:
            open_nodes.discard(id(node))
            continue
        line = node.start_mark.line + 1
        if id(node) in open_nodes:
            raise ConfigError(path, key, "an alias refers to a node that contains it", line)
        seen += 1
        if seen > MAX_NODES:
            raise ConfigError(path, key, f"more than {MAX_NODES} values once aliases expand", line)
        if depth > MAX_DEPTH:
            raise ConfigError(path, key, f"nested deeper than {MAX_DEPTH} levels", line)
        children = list(_children(node, key))
        if children:
            open_nodes.add(id(node))
            stack.append((node, key, depth, True))
            stack.extend((child, child_key, depth + 1, False) for child, child_key in children)


def _children(node: yaml.Node, key: str) -> list[tuple[yaml.Node, str]]:
    if isinstance(node, yaml.MappingNode):
        found = []
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            child_key = f"{key}.{name}" if key else str(name)
            found += [(key_node, child_key), (value_node, child_key)]
        return found
    if isinstance(node, yaml.SequenceNode):
        return [(item, f"{key}[{index}]") for index, item in enumerate(node.value)]
    return []
