"""The one parsed form of a document body that every writer walks, plus what writers share.

Markdown becomes an ElementTree of XHTML elements (h1..h6, p, ul/ol/li, table, pre/code,
blockquote, hr, strong, em, code, a, br, img). DOCX and HTML both walk this tree, so a
construct either works in every format or in none.
"""

from __future__ import annotations

import functools
import html.entities
import re
import threading
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import urlsplit

import markdown

from aimsdocs.errors import InputError
from aimsdocs.render.context import TODO_MARKER
from aimsdocs.render.document import DocumentControl

EXTENSIONS = ("tables", "fenced_code", "sane_lists", "attr_list", "toc")

# Heading ids from `toc` give HTML anchors and DOCX bookmarks the same names.
_local = threading.local()

# XML knows only these five entity names; Markdown passes `&copy;` and friends through as-is.
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")

SAFE_SCHEMES = {"http", "https", "mailto"}
# Browsers drop these from URLs before reading the scheme ("java\tscript:" is javascript:).
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")

# "[TO COMPLETE: …]" markers: writers highlight them so gaps are hard to miss.
_prefix, _suffix = TODO_MARKER.split("{}")
TODO_PATTERN = re.compile(re.escape(_prefix) + r"[^\]\n]*?" + re.escape(_suffix))

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "blockquote",
              "table", "hr", "div"}


def _markdown() -> markdown.Markdown:
    """One Markdown instance per thread: building one costs more than converting a page."""
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="xhtml")
        # Profile text reaches templates unescaped, so raw HTML must stay literal text:
        # `<script>` in an organisation name is words, never markup, in every format.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _local.md = md
    return md


def _entity_to_reference(match: re.Match) -> str:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    codepoint = html.entities.name2codepoint.get(name)
    if codepoint is None:
        return "&amp;" + name + ";"  # not an entity after all: keep it as text
    return f"&#{codepoint};"


def parse_markdown(text: str) -> ET.Element:
    """Parse a Markdown body into a fresh `<div>` element holding its block elements."""
    return ET.fromstring(_xhtml(text))


@functools.lru_cache(maxsize=64)
def _xhtml(text: str) -> str:
    """Markdown -> XHTML once per body: the DOCX and HTML writers of a document share it."""
    md = _markdown()
    md.reset()
    xhtml = md.convert(text)
    return "<div>" + _NAMED_ENTITY.sub(_entity_to_reference, xhtml) + "</div>"


def text_of(element: ET.Element) -> str:
    """All text inside an element, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def drop_leading_title(root: ET.Element, title: str) -> ET.Element:
    """Remove a leading `# Title` when it repeats the title the writer shows anyway."""
    if len(root) and root[0].tag == "h1" and text_of(root[0]) == " ".join(title.split()):
        root.remove(root[0])
    return root


def safe_href(href: str | None) -> str | None:
    """The link target if it is web, mail or relative; None for `javascript:` and the like."""
    if not href:
        return None
    cleaned = _URL_NOISE.sub("", href)
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return None
    if scheme and scheme not in SAFE_SCHEMES:
        return None
    return href.strip()


def split_todo(text: str) -> list[tuple[str, bool]]:
    """Split text into (piece, is_todo_marker) so writers can highlight markers."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in TODO_PATTERN.finditer(text):
        if match.start() > position:
            pieces.append((text[position:match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def accent_hex(colour: str) -> str:
    """The brand's accent colour as six upper-case hex digits, or an InputError."""
    value = colour.strip().lstrip("#").upper()
    if not re.fullmatch(r"[0-9A-F]{6}", value):
        raise InputError(f"accent colour {colour!r} is not a hex RGB colour",
                         field="accent_colour", hint="use six hex digits, e.g. 1F4E79")
    return value


def format_date(value: date | None) -> str:
    return value.isoformat() if value else "—"


def control_rows(control: DocumentControl) -> list[tuple[str, str]]:
    """The document-control block, label and value, as DOCX and HTML both show it."""
    approved = "Not yet approved"
    if control.approved_by:
        approved = control.approved_by
        if control.approved_on:
            approved += f" on {control.approved_on.isoformat()}"
    rows = [
        ("Document ID", control.doc_id),
        ("Title", control.title),
        ("Document type", control.doc_type.capitalize()),
        ("Version", control.version),
        ("Status", control.status),
        ("Classification", control.classification),
        ("Owner", control.owner or "—"),
        ("Approver", control.approver or "—"),
        ("Approved", approved),
        ("Effective date", format_date(control.effective_date)),
        ("Next review", format_date(control.next_review)),
    ]
    if control.addresses:
        rows.append(("ISO/IEC 42001", ", ".join(control.addresses)))
    return rows


REVISION_COLUMNS = ("Version", "Date", "Author", "Description")


def revision_rows(control: DocumentControl) -> list[tuple[str, str, str, str]]:
    return [(r.version, format_date(r.date), r.author, r.description) for r in control.revisions]
