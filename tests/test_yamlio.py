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
