"""Writing YAML (front matter, the state file) with libyaml where it gives the same bytes.

PyYAML's pure-Python emitter costs about 2 ms per front matter and seconds for the state
file of a large pack. libyaml's emitter is many times faster but differs in corners: it
escapes characters outside the Basic Multilingual Plane, C1 controls and a few others that
the Python emitter writes as they are, and writes empty keys differently. So it is used only
for data made of mappings, lists and scalars whose strings avoid those corners (non-empty keys;
tab, newline and printable BMP characters), and the Python emitter writes everything else.
The two were compared on generated data of that shape (tests/test_yamldump.py).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml

_C_DUMPER = getattr(yaml, "CSafeDumper", None)
# What the two emitters treat alike: tab, newline, printable ASCII and printable BMP text.
_UNSAFE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]|[\u2028\u2029]")


class _Plain(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


# by whether repeated objects become anchors and aliases
_PLAIN = {True: yaml.SafeDumper, False: _Plain}
if _C_DUMPER is not None:
    class _CPlain(_C_DUMPER):  # type: ignore[misc, valid-type]
        def ignore_aliases(self, data) -> bool:
            return True

    _FAST = {True: _C_DUMPER, False: _CPlain}


def dump(data: dict, *, width: int = 80, aliases: bool = True) -> str:
    """`data` as block YAML in insertion order, Unicode unescaped; `aliases=False` writes
    repeated objects out in full instead of as anchors."""
    fast = _C_DUMPER is not None and isinstance(data, dict) and _uniform(data)
    dumper = (_FAST if fast else _PLAIN)[aliases]
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=width)


_SCALARS = (bool, int, datetime.date, type(None))  # what the comparison covered


def _uniform(value: Any) -> bool:
    """Whether both emitters write `value` alike (see the module docstring)."""
    if isinstance(value, str):
        return not _UNSAFE.search(value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and k and _uniform(k) and _uniform(v)
                   for k, v in value.items())
    if isinstance(value, list):
        return all(_uniform(item) for item in value)
    return type(value) in _SCALARS
