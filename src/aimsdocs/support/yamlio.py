"""Safe YAML loading that remembers where every value came from.

Error messages must name the line of a bad field, so we compose the node tree with
yaml.SafeLoader (no object construction from tags) and build plain Python values while
recording `path -> line` for every mapping key and sequence item.

Hostile YAML is bounded: a file larger than MAX_YAML_BYTES is refused before parsing, an
alias may be expanded only ALIAS_BUDGET nodes in total (a 1 KB "billion laughs" chain fails in
milliseconds instead of filling memory), and nesting deeper than MAX_DEPTH is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aimsdocs.errors import InputError

Path_ = tuple[str | int, ...]
# The C loader when libyaml is present (several times faster); both compose safely.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Budgets for user YAML (profile, ISMS configuration, mappings, state file, front matter).
MAX_YAML_BYTES = 20 * 1024 * 1024  # a profile with thousands of AI systems is a few MB
ALIAS_BUDGET = 100_000  # nodes reached again through aliases; real reuse needs a handful
MAX_DEPTH = 64  # the profile nests about 5 levels


@dataclass
class LocatedYaml:
    """A loaded YAML document plus the line (1-based) of every path in it."""

    data: Any
    file: Path
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """Line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def read_text(file: Path, max_bytes: int | None = None) -> str:
    """Read a user text file: UTF-8 (a BOM is accepted), CRLF or LF, no control characters.

    With `max_bytes`, a larger file is refused without being read.
    """
    try:
        if max_bytes is not None:
            size = file.stat().st_size
            if size > max_bytes:
                raise InputError(
                    f"file is {size // 1024} KiB, over the {max_bytes // 1024} KiB limit",
                    file=file, hint="is this the right file? split it if it really is this big")
        raw = file.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=file, hint="check the path") from None
    except IsADirectoryError:
        raise InputError("expected a file, found a folder", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", file=file) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            file=file,
            line=line,
            hint="save the file as UTF-8 (most editors: 'Save with encoding')",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(file: Path, text: str | None = None) -> LocatedYaml:
    """Load one YAML file safely, with line numbers. Raises InputError on any syntax problem."""
    file = Path(file)
    if text is None:
        text = read_text(file, MAX_YAML_BYTES)
    elif len(text) > MAX_YAML_BYTES:
        raise InputError(f"YAML text over the {MAX_YAML_BYTES // 1024} KiB limit", file=file)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:  # PyYAML 6.0.4 and later bound nesting themselves
            raise InputError(f"YAML nested too deeply (over {MAX_DEPTH} levels)", file=file,
                             line=line, hint="flatten the structure") from None
        raise InputError(
            f"YAML syntax error: {problem}",
            file=file,
            line=line,
            hint="check indentation and quoting on that line (values with ': ' or '#' need quotes)",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", file=file) from None
    except RecursionError:
        raise InputError(f"YAML nested too deeply (over {MAX_DEPTH} levels)", file=file,
                         hint="flatten the structure") from None
    located = LocatedYaml(data=None, file=file)
    if node is None:
        return located
    located.lines[()] = node.start_mark.line + 1
    located.data = _Builder(located).build(node, ())
    return located


_SCALAR = yaml.SafeLoader(" ")  # a constructor for scalars only; never fed a document


class _Builder:
    """Plain values from a node graph, counting what aliases make us visit again."""

    def __init__(self, located: LocatedYaml):
        self.located = located
        self.seen: set[int] = set()
        self.revisits = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:
            self.revisits += 1
            if self.revisits > ALIAS_BUDGET:
                raise InputError(
                    f"YAML aliases expand to more than {ALIAS_BUDGET} values (an alias bomb?)",
                    file=self.located.file, line=node.start_mark.line + 1,
                    hint="write the values out instead of repeating anchors (&name / *name)")
        else:
            self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            raise InputError(f"YAML nested too deeply (over {MAX_DEPTH} levels)",
                             file=self.located.file, line=node.start_mark.line + 1,
                             hint="flatten the structure; an anchor may refer to itself")
        return _build(node, path, self.located, self.build)


def _build(node: yaml.Node, path: Path_, located: LocatedYaml, build) -> Any:
    if node.tag.startswith("!") or node.tag.startswith("tag:yaml.org,2002:python"):
        raise InputError(
            f"YAML tag '{node.tag}' is not allowed",
            file=located.file,
            line=node.start_mark.line + 1,
            hint="remove the tag; aimsdocs reads plain YAML values only",
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError(
                    "YAML merge keys (<<) are not supported",
                    file=located.file,
                    line=key_node.start_mark.line + 1,
                    hint="write the values out in full",
                )
            key = build(key_node, path)
            if isinstance(key, (dict, list)):
                raise InputError("a mapping key must be a plain value", file=located.file,
                                 line=key_node.start_mark.line + 1)
            key = str(key)
            if key in result:
                raise InputError(
                    f"duplicate key '{key}'",
                    file=located.file,
                    line=key_node.start_mark.line + 1,
                    field=".".join(str(p) for p in path) or None,
                    hint="keep one of the two entries",
                )
            child = path + (key,)
            located.lines[child] = key_node.start_mark.line + 1
            result[key] = build(value_node, child)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = path + (index,)
            located.lines[child] = item.start_mark.line + 1
            items.append(build(item, child))
        return items
    try:
        value = _SCALAR.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        raise InputError(f"bad value {node.value!r}: {exc}", file=located.file,
                         line=node.start_mark.line + 1,
                         field=".".join(str(p) for p in path) or None,
                         hint="dates are YYYY-MM-DD; quote the value if it is meant as text"
                         ) from None
    return value
