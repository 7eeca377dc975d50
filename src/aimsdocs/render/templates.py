"""Template discovery and the Jinja2 environment.

Templates are `*.md.j2` files with YAML front matter declaring the document they produce:

    ---
    id: POL-01                 # local id; the document id is "<prefix>-POL-01"
    title: AI policy
    type: policy
    addresses: ["5.2", A.2.2]  # ISO/IEC 42001 ids the document addresses
    per: ai_system             # optional: one document per AI system in the inventory
    order: 20                  # optional: position in the pack
    ---

Files whose name starts with "_" are partials/macros, not documents. Search path, first wins:
--templates DIR, ORG/templates/, the packaged templates/ — so an organisation or consultant
overrides a template by giving a file the same name. Everything renders in Jinja2's sandbox,
since a consultant renders templates a client supplied.
"""

from __future__ import annotations

import functools
import re
import types
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from aimsdocs.errors import InputError, ProblemList
from aimsdocs.plan.model import TemplateSpec
from aimsdocs.profile.model import Roles
from aimsdocs.render.escape import markdown_text
from aimsdocs.support.yamlio import load_yaml, read_text

ROLE_FIELDS = tuple(Roles.model_fields)

FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
SUFFIX = ".md.j2"
KEYS = {"id", "title", "type", "addresses", "per", "order", "description", "owner"}


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter YAML, body with the front matter replaced by blank lines).

    Blank lines keep Jinja's line numbers equal to the file's, so errors point at the right line.
    """
    match = FRONT_MATTER.match(text)
    if not match:
        return "", text
    header = match.group(0)
    return match.group(1), "\n" * header.count("\n") + text[match.end():]


MAX_TEMPLATE_BYTES = 1024 * 1024


class TemplateOutsideSearchPath(jinja2.TemplateNotFound):
    """An include or import that names a file outside the template folders."""


class FrontMatterLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that hides each template's front matter from Jinja, and never loads
    a file from outside its folders: no absolute paths, no '..', no links leading out."""

    def get_source(self, environment, template):
        if template.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", template):
            raise TemplateOutsideSearchPath(template, f"'{template}' is an absolute path")
        try:
            pieces = jinja2.loaders.split_template_path(template)
        except jinja2.TemplateNotFound:
            raise TemplateOutsideSearchPath(template, f"'{template}' leads out of the "
                                            "template folder") from None
        for searchpath in self.searchpath:
            folder = Path(searchpath).resolve()
            path = folder.joinpath(*pieces)
            if not path.is_file():
                continue
            if folder not in path.resolve().parents:
                raise TemplateOutsideSearchPath(
                    template, f"'{template}' is a link to a file outside {folder}")
            text = read_text(path, MAX_TEMPLATE_BYTES)
            _, body = split_front_matter(text)
            mtime = path.stat().st_mtime
            return body, str(path), lambda p=path, m=mtime: p.is_file() and \
                p.stat().st_mtime == m
        raise jinja2.TemplateNotFound(template)


def search_path(packaged: Path, org_templates: Path | None, extra: Path | None) -> list[Path]:
    paths = [p for p in (extra, org_templates) if p is not None]
    for path in paths:
        if not path.is_dir():
            raise InputError("templates folder not found", file=path,
                             hint="check the --templates path")
    return paths + [packaged]


def as_markdown_text(obj, value):
    """Text read from our data objects (profile, ISMS, plan) is escaped once, here."""
    return _as_text(value) if _ours(type(obj)) else value


def _as_text(value):
    if type(value) is str:
        return _escaped(value)
    if type(value) in (list, tuple) and value and all(type(v) is str for v in value):
        return type(value)(_escaped(v) for v in value)
    return value


@functools.cache
def _ours(kind: type) -> bool:
    return kind.__module__.startswith("aimsdocs.")


# The same names and descriptions are read by thousands of documents in a large pack.
_escaped = functools.lru_cache(maxsize=1 << 16)(markdown_text)


_METHODS = (types.MethodType, types.BuiltinMethodType)
_OURS, _FIELD, _UNSAFE = 1, 2, -1  # TrackingEnvironment._rule


class TrackingEnvironment(SandboxedEnvironment):
    """The sandbox, plus a hook that records which profile fields a template reads, and
    checks on `*` and `**` so a template cannot build a value that fills memory."""

    recorder = None  # an AccessRecorder while a document renders
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rules: dict[tuple[type, str], int] = {}

    def _rule(self, obj, attribute: str, value) -> int:
        """What reading `attribute` of an object of this type means: whether the sandbox
        allows it, the recorder notes it and its text is escaped. It depends on the type and
        the name alone, so it is decided once: templates read hundreds of thousands of
        attributes in a large pack."""
        if not self.is_safe_attribute(obj, attribute, value):
            return _UNSAFE
        kind: type = type(obj)
        rule = _OURS if _ours(kind) else 0
        if attribute in (getattr(kind, "model_fields", None) or ()):  # a profile field
            rule |= _FIELD
        return rule

    def call_binop(self, context, operator, left, right):
        from aimsdocs.render.budget import checked_binop

        return checked_binop(operator, left, right)

    def getattr(self, obj, attribute):
        # The sandbox's getattr, with its common case (a data attribute) inlined: methods,
        # item lookups and missing attributes still take the sandbox's own path.
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return self._read(obj, attribute, super().getattr(obj, attribute))
        if isinstance(value, _METHODS) or type(attribute) is not str:
            # str.format and friends are wrapped there
            return self._read(obj, attribute, super().getattr(obj, attribute))
        key = (type(obj), attribute)
        rule = self._rules.get(key)
        if rule is None:
            rule = self._rules[key] = self._rule(obj, attribute, value)
        if rule == _UNSAFE:
            return self._read(obj, attribute, self.unsafe_undefined(obj, attribute))
        if rule & _FIELD and self.recorder is not None:
            self.recorder.note_field(obj, attribute, value)
        return _as_text(value) if rule & _OURS else value

    def _read(self, obj, attribute, value):
        """What every other read goes through: noted, and escaped where it is our text."""
        if self.recorder is not None:
            self.recorder.note(obj, attribute, value)
        return as_markdown_text(obj, value)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates are cached per user (keyed by source checksum, so always current).

    Compiling the pack's templates costs more than rendering them; the cache makes a no-op
    rebuild cheap. AIMSDOCS_NO_CACHE=1 disables it (see support.cache).
    """
    from aimsdocs.support.cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    folder = base / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_environment(paths: list[Path]) -> TrackingEnvironment:
    env = TrackingEnvironment(
        bytecode_cache=_bytecode_cache(),
        loader=FrontMatterLoader([str(p) for p in paths]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown; writers escape for HTML/XML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"],
        auto_reload=False,  # one environment per build: no stat of the template per render
    )
    return env


def discover(paths: list[Path], known_ids: set[str]) -> list[TemplateSpec]:
    """Every document template on the search path (earlier paths shadow later ones by name)."""
    chosen: dict[str, Path] = {}
    for folder in paths:
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            if path.name.startswith("_"):
                continue
            if folder.resolve() not in path.resolve().parents:
                raise InputError("template is a link to a file outside its folder", file=path,
                                 hint="copy the template into the folder instead of linking it")
            chosen.setdefault(path.name, path)
    problems = ProblemList()
    specs = [spec for name, path in sorted(chosen.items())
             if (spec := _read_spec(name, path, known_ids, problems)) is not None]
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.local_id in seen:
            problems.add(f"document id '{spec.local_id}' is also declared by {seen[spec.local_id]}",
                         file=spec.path, line=2, hint="give each template its own id")
        seen[spec.local_id] = spec.name
    problems.raise_if_any()
    return sorted(specs, key=lambda s: (s.order, s.local_id))


def _read_spec(name: str, path: Path, known_ids: set[str],
               problems: ProblemList) -> TemplateSpec | None:
    text = read_text(path, MAX_TEMPLATE_BYTES)
    header, _ = split_front_matter(text)
    if not header:
        problems.add("template has no YAML front matter", file=path, line=1,
                     hint="start it with '---', the keys id, title, type, addresses, then '---' "
                          "(or name it with a leading '_' if it is a partial)")
        return None
    located = load_yaml(path, text="\n" + header)  # +1: the opening '---' line
    data = located.data
    if not isinstance(data, dict):
        problems.add("front matter must be a mapping", file=path, line=2)
        return None
    from aimsdocs.render.document import DOCUMENT_TYPES

    def where(key):
        return dict(file=path, line=located.line_of((key,)) or 2, field=key)

    unknown = set(data) - KEYS
    for key in sorted(unknown):
        problems.add(f"unknown front-matter key '{key}'", **where(key),
                     hint=f"allowed: {', '.join(sorted(KEYS))}")
    ok = not unknown
    for key in ("id", "title", "type", "addresses"):
        if key not in data or data[key] in (None, "", []):
            problems.add(f"front matter needs '{key}'", file=path, line=2)
            ok = False
    if not ok:
        return None
    local_id = str(data["id"])
    if not re.fullmatch(r"[A-Z][A-Z0-9-]{0,19}", local_id):
        problems.add(f"id '{local_id}' has the wrong form", **where("id"),
                     hint="capitals, digits and '-', e.g. POL-01")
        ok = False
    if data["type"] not in DOCUMENT_TYPES:
        problems.add(f"type '{data['type']}' is not known", **where("type"),
                     hint=f"use one of {', '.join(DOCUMENT_TYPES)}")
        ok = False
    addresses = data["addresses"]
    if not isinstance(addresses, list):
        problems.add("addresses must be a list of ISO/IEC 42001 ids", **where("addresses"))
        return None
    for index, item in enumerate(addresses):
        if str(item) not in known_ids:
            problems.add(f"'{item}' is not an ISO/IEC 42001 clause or control id",
                         file=path, line=located.line_of(("addresses", index)),
                         field="addresses", hint="check the id with `aimsdocs catalog iso42001`")
            ok = False
    per = data.get("per")
    if per not in (None, "ai_system"):
        problems.add(f"per: '{per}' is not supported", **where("per"), hint="use per: ai_system")
        ok = False
    owner = data.get("owner")
    if owner is not None and owner not in ROLE_FIELDS:
        problems.add(f"owner: '{owner}' is not a role", **where("owner"),
                     hint=f"use one of {', '.join(ROLE_FIELDS)}")
        ok = False
    if not ok:
        return None
    return TemplateSpec(
        name=name, path=path, local_id=local_id, title=str(data["title"]),
        doc_type=str(data["type"]), addresses=tuple(str(a) for a in addresses), per=per,
        order=int(data.get("order", 100)), description=str(data.get("description", "")),
        owner=owner,
    )
