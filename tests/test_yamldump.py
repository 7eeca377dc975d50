"""YAML is written by libyaml only where it gives the bytes PyYAML's Python emitter gives."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimsdocs.support import yamldump

pytestmark = pytest.mark.skipif(yamldump._C_DUMPER is None, reason="PyYAML built without libyaml")


def python_emitter(data: dict, width: int, aliases: bool = True) -> str:
    dumper = yamldump._PLAIN[aliases]
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=width)


# Characters YAML quotes, folds or escapes, mixed into ordinary text at a high rate.
_AWKWARD = st.sampled_from(list(" -:#'\"\n\t{}[],&*!|>%@`?.~0123456789aZ_é中—…ß\u00a0"))
_CHARS = st.one_of(_AWKWARD, st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                   st.characters(max_codepoint=0xFFFF))
_TEXT = st.text(alphabet=_CHARS, max_size=250)
_KEY = st.text(alphabet=_CHARS, min_size=1, max_size=30)
_SCALAR = st.one_of(_TEXT, st.integers(), st.none(), st.booleans(), st.dates())
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_KEY, inner, max_size=4)), max_leaves=12)


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(_KEY, _VALUE, min_size=1, max_size=6), st.sampled_from([80, 100, 1000]),
       st.booleans(), st.booleans())
def test_dump_gives_the_python_emitters_bytes(data, width, aliases, share):
    if share:  # the same objects twice: anchors and aliases, or written out twice
        data["shared date"] = data["again"] = datetime.date(2026, 1, 31)
        data["shared list"] = data["again list"] = ["a", "b"]
    assert yamldump.dump(data, width=width, aliases=aliases) == python_emitter(data, width,
                                                                               aliases)


def test_libyaml_writes_ordinary_data():
    assert yamldump._uniform({"title": "Über — “KI” policy", "addresses": ["5.2", "A.2.2"],
                              "date": datetime.date(2026, 1, 1), "n": 3, "none": None})


@pytest.mark.parametrize("data", [
    {"name": "Chatbot 🤖"},  # outside the BMP: libyaml escapes it
    {"name": "next\x85line"},  # a C1 control
    {"": "empty key"},
    {"nested": [{"x": "\u2028"}]},
    {"ratio": 0.5},  # floats were not compared
])
def test_the_corners_where_the_emitters_differ_go_to_python(data):
    assert not yamldump._uniform(data)
    assert yamldump.dump(data) == python_emitter(data, 80)
