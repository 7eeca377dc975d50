"""Record which profile fields each document reads, so a rebuild can say why it changed.

Templates read the profile through Jinja's sandbox, whose `getattr` we intercept: every
attribute read on a profile object is recorded as a dotted path ("organisation.name",
"ai_systems[AIS-01].description"). The manifest stores those paths with a hash of their values.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel

from aimsdocs.profile.model import Profile


def index_profile(profile: Profile) -> dict[int, str]:
    """id(model object) -> its path in the profile. AI systems are keyed by id, not position."""
    paths: dict[int, str] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, BaseModel):
            paths[id(value)] = path
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                key = getattr(item, "id", None) or getattr(item, "key", None) or index
                walk(item, f"{path}[{key}]")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}[{key}]")

    walk(profile, "")
    return paths


def value_hash(value) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class ProfileIndex:
    """Built once per build: where each profile object sits, and a cache of value hashes.

    The profile is immutable during a build, so hashing a value once serves every document
    (that matters with a thousand AI systems).
    """

    def __init__(self, profile: Profile):
        self.profile = profile
        self.paths = index_profile(profile)
        self._hashes: dict[int, str] = {}
        self._memberships: dict[int, str] = {}

    def hash_of(self, value) -> str:
        key = id(value)
        digest = self._hashes.get(key)
        if digest is None:
            digest = self._hashes[key] = value_hash(value)
        return digest

    def membership_hash(self, items) -> str:
        """Hash of which items a profile list holds (the list is part of the profile, so it
        outlives the build and its id stays its own)."""
        key = id(items)
        digest = self._memberships.get(key)
        if digest is None:
            digest = self._memberships[key] = value_hash(membership(items))
        return digest


class AccessRecorder:
    """Collects (path -> value hash) for profile fields read during one render."""

    def __init__(self, index: ProfileIndex):
        self._index = index
        self.reads: dict[str, str] = {}

    def note(self, obj, attribute: str, value) -> None:
        base = self._index.paths.get(id(obj))
        if base is None or attribute.startswith("_"):
            return
        if attribute in _fields(type(obj)):
            self._record(base, attribute, value)

    def note_field(self, obj, attribute: str, value) -> None:
        """`note`, for a read the caller knows to be of a model's field."""
        base = self._index.paths.get(id(obj))
        if base is not None:
            self._record(base, attribute, value)

    def _record(self, base: str, attribute: str, value) -> None:
        path = f"{base}.{attribute}" if base else attribute
        if path not in self.reads:
            self.reads[path] = self._index.hash_of(value)

    def note_membership(self, path: str, items) -> None:
        """Iterating a list depends on which items it holds: recorded as 'path[]'."""
        path = f"{path}[]"
        if path not in self.reads:
            self.reads[path] = self._index.membership_hash(items)


_FIELDS: dict[type, frozenset[str]] = {}


def _fields(model: type[BaseModel]) -> frozenset[str]:
    fields = _FIELDS.get(model)
    if fields is None:
        fields = _FIELDS[model] = frozenset(model.model_fields)
    return fields


def changed_fields(previous: dict[str, str], profile: Profile) -> list[str]:
    """Which recorded profile fields now have another value (or no longer exist)."""
    current = current_values(profile, previous)
    return sorted(path for path, digest in previous.items() if current.get(path) != digest)


def current_values(profile: Profile, paths) -> dict[str, str]:
    return {path: digest for path in paths if (digest := _resolve(profile, path)) is not None}


def membership(items) -> list[str]:
    """The keys of a list of profile objects: adding or removing one changes this."""
    return [str(getattr(i, "id", None) or getattr(i, "key", None)) for i in items]


def _resolve(profile: Profile, path: str) -> str | None:
    """Hash of the value at a recorded path, or None when the path no longer exists."""
    if path.endswith("[]"):
        items = _resolve_value(profile, path[:-2])
        return value_hash(membership(items)) if isinstance(items, list) else None
    value = _resolve_value(profile, path)
    return None if value is _MISSING else value_hash(value)


_MISSING = object()


def _resolve_value(profile: Profile, path: str):
    value: Any = profile
    for part in _split(path):
        if isinstance(part, tuple):  # [key]
            key = part[0]
            if isinstance(value, dict):
                if key not in value:
                    return _MISSING
                value = value[key]
                continue
            found = None
            for index, item in enumerate(value):
                item_key = getattr(item, "id", None) or getattr(item, "key", None) or index
                if str(item_key) == key:
                    found = item
                    break
            if found is None:
                return _MISSING
            value = found
        else:
            if not isinstance(value, BaseModel) or part not in type(value).model_fields:
                return _MISSING
            value = getattr(value, part)
    return value


def _split(path: str) -> list:
    parts: list = []
    for chunk in path.replace("]", "").split("."):
        head, *keys = chunk.split("[")
        if head:
            parts.append(head)
        parts.extend((k,) for k in keys)
    return parts
