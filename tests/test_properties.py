"""Property-based: whatever text a profile or an imported ISMS holds, a build either succeeds
or fails with aimsdocs' own error — never an unexpected exception."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from helpers import SAMPLE_ORG
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimsdocs.errors import AimsdocsError
from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.prepare import prepare
from aimsdocs.standards import load_standards

PROFILE = yaml.safe_load((SAMPLE_ORG / "profile.yaml").read_text(encoding="utf-8"))
TEXT = st.text(min_size=0, max_size=300)
FIELDS = [
    ("organisation", "short_name"), ("organisation", "legal_name"), ("organisation", "sector"),
    ("scope", "statement"), ("ai_systems", 0, "name"), ("ai_systems", 1, "purpose"),
    ("ai_systems", 2, "human_oversight"), ("people", 0, "name"), ("objectives", 0, "target"),
]


def set_path(data, path, value):
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def prepare_with(tmp: Path, data: dict):
    org = tmp / "org"
    shutil.rmtree(org, ignore_errors=True)
    org.mkdir(parents=True)
    (org / "profile.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                      encoding="utf-8")
    return prepare(org, BuildOptions(formats=("md",)))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=TEXT)
def test_any_profile_text_builds_or_fails_cleanly(tmp_path, field, value):
    import copy

    data = copy.deepcopy(PROFILE)
    set_path(data, field, value)
    try:
        pack = prepare_with(tmp_path, data)
    except AimsdocsError:
        return
    for output in pack.outputs:
        if output.relpath.endswith((".md", ".xlsx")):
            assert output.produce()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=800), heading=st.text(max_size=60))
def test_any_imported_isms_text_loads_or_fails_cleanly(tmp_path, body, heading):
    from aimsdocs.isms import load_isms

    root = tmp_path / "isms"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    (root / "policy.md").write_text(f"# {heading}\n\n{body}\n\n## A 5.15 {heading}\n{body}\n",
                                    encoding="utf-8", errors="surrogatepass")
    try:
        inventory = load_isms(root, load_standards())
    except AimsdocsError:
        return
    assert len(inventory.documents) == 1


def _sample_systems():
    from aimsdocs.profile.load import load_org

    return list(load_org(SAMPLE_ORG).profile.ai_systems)


_SYSTEMS = _sample_systems()
# a twin of the first system: another object with the same fields, and so equal to it
_TWIN = _SYSTEMS[0].model_copy()
_ITEMS = st.sampled_from([*_SYSTEMS, _TWIN, "AIS-01", None])
_CHANGES = st.lists(st.tuples(st.sampled_from(["append", "insert", "pop", "remove", "clear",
                                               "extend"]), _ITEMS), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ITEMS, max_size=6), _CHANGES, _ITEMS)
def test_a_document_s_system_list_answers_in_as_a_list_would(items, changes, probe):
    """The context's system groups look `in` up by id; after any change a template can make
    to its list, they answer as a plain list does."""
    from aimsdocs.render.context import SystemList

    ours, plain = SystemList(items), list(items)
    assert (probe in ours) == (probe in plain)
    for change, item in changes:
        for target in (ours, plain):
            if change == "append":
                target.append(item)
            elif change == "insert":
                target.insert(0, item)
            elif change == "extend":
                target.extend([item, item])
            elif change == "clear":
                target.clear()
            elif target and change == "pop":
                target.pop()
            elif item in plain and change == "remove":
                target.remove(item)
        assert ours == plain
        assert (probe in ours) == (probe in plain)
        assert all((system in ours) == (system in plain) for system in [*_SYSTEMS, _TWIN])
