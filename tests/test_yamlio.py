"""Reading user YAML: safe, line-aware, and clear about encoding problems."""

from __future__ import annotations

import pytest

from aimsdocs.errors import InputError
from aimsdocs.support.yamlio import load_yaml


def write(tmp_path, data: bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    return path


def test_lines_are_recorded_for_nested_paths(tmp_path):
    doc = load_yaml(write(tmp_path, b"a:\n  b:\n    - x: 1\n      y: 2\n"))
    assert doc.data == {"a": {"b": [{"x": 1, "y": 2}]}}
    assert doc.line_of(("a", "b", 0, "y")) == 4
    assert doc.line_of(("a", "missing")) == 1


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    doc = load_yaml(write(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: two\r\n"))
    assert doc.data == {"a": 1, "b": "two"}
    assert doc.line_of(("b",)) == 2


def test_non_utf8_names_the_line(tmp_path):
    with pytest.raises(InputError, match=r"x.yaml:2: not valid UTF-8"):
        load_yaml(write(tmp_path, b"a: 1\nb: caf\xe9\n"))


def test_python_tags_are_refused(tmp_path):
    with pytest.raises(InputError, match="tag .* is not allowed"):
        load_yaml(write(tmp_path, b"a: !!python/object/apply:os.system ['echo hi']\n"))


def test_duplicate_keys_are_refused(tmp_path):
    with pytest.raises(InputError, match=r"x.yaml:2: duplicate key 'a'"):
        load_yaml(write(tmp_path, b"a: 1\na: 2\n"))


def test_syntax_error_names_the_line(tmp_path):
    with pytest.raises(InputError, match=r"x.yaml:2: YAML syntax error"):
        load_yaml(write(tmp_path, b"a: 1\nb: c: d\n"))


def _alias_chain(levels: int = 9) -> bytes:
    """The classic 'billion laughs': each level repeats the previous anchor nine times."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


def test_alias_bomb_fails_fast(tmp_path):
    data = _alias_chain()
    assert len(data) < 1024
    with pytest.raises(InputError, match="aliases expand to more than"):
        load_yaml(write(tmp_path, data))


def test_ordinary_aliases_still_work(tmp_path):
    doc = load_yaml(write(tmp_path, b"owner: &o {name: Ana}\nbackup: *o\n"))
    assert doc.data == {"owner": {"name": "Ana"}, "backup": {"name": "Ana"}}


def test_self_referencing_anchor_is_refused(tmp_path):
    with pytest.raises(InputError, match="nested too deeply"):
        load_yaml(write(tmp_path, b"a: &a [*a]\n"))


def test_deep_nesting_is_refused(tmp_path):
    with pytest.raises(InputError, match="nested too deeply"):
        load_yaml(write(tmp_path, b"x: " + b"[" * 5000 + b"]" * 5000 + b"\n"))


def test_oversized_yaml_is_refused_unread(tmp_path, monkeypatch):
    import aimsdocs.support.yamlio as yamlio

    monkeypatch.setattr(yamlio, "MAX_YAML_BYTES", 1024)
    with pytest.raises(InputError, match="over the 1 KiB limit"):
        load_yaml(write(tmp_path, b"a: " + b"x" * 4096 + b"\n"))
