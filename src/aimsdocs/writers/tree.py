"""The one parsed form of a document body that every writer walks, plus what writers share.

Markdown becomes an ElementTree of XHTML elements (h1..h6, p, ul/ol/li, table, pre/code,
blockquote, hr, strong, em, code, a, br, img). DOCX and HTML both walk this tree, so a
construct either works in every format or in none.
"""

from __future__ import annotations

import bisect
import functools
import html.entities
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection
from datetime import date
from urllib.parse import urlsplit

from aimsdocs.errors import InputError
from aimsdocs.render.context import TODO_MARKER
from aimsdocs.render.document import DocumentControl
from aimsdocs.writers.mdparse import convert

# XML knows only these five entity names; Markdown passes `&copy;` and friends through as-is.
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")

SAFE_SCHEMES = {"http", "https", "mailto"}
# Browsers drop these from URLs before reading the scheme ("java\tscript:" is javascript:).
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")

# "[TO COMPLETE: …]" markers: writers highlight them so gaps are hard to miss.
_prefix, _suffix = TODO_MARKER.split("{}")
TODO_PATTERN = re.compile(re.escape(_prefix) + r"[^\]\n]*?" + re.escape(_suffix))

DEFAULT_ACCENT = "1F4E79"

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "blockquote",
              "table", "hr", "div"}


def _entity_to_reference(match: re.Match) -> str:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    codepoint = html.entities.name2codepoint.get(name)
    if codepoint is None:
        return "&amp;" + name + ";"  # not an entity after all: keep it as text
    return f"&#{codepoint};"


def parse_markdown(text: str, links: dict[str, str] | None = None,
                   self_id: str = "") -> ET.Element:
    """Parse a Markdown body into a fresh `<div>` element holding its block elements; with
    `links`, mentions of other documents become links to them (see `linked`)."""
    xhtml = _xhtml(text)
    return ET.fromstring(linked(xhtml, links, self_id) if links else xhtml)


@functools.lru_cache(maxsize=64)
def _xhtml(text: str) -> str:
    """Markdown -> XHTML once per body: the DOCX and HTML writers of a document share it."""
    xhtml = convert(normalise_lists(text))
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


# Nested lists ---------------------------------------------------------------------------------
# Python-Markdown nests a list only when it is indented by four spaces; CommonMark (and every
# editor preview) nests it when it starts at the parent item's text, e.g. three spaces under
# "1. ". Without this, such a sub-list collapses into its parent's paragraph as "- a - b".

_LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)")
_FENCE = re.compile(r"^ *(```|~~~)")


def normalise_lists(text: str) -> str:
    """Re-indent nested lists (and item continuation lines) to Python-Markdown's 4 spaces, and
    put a blank line between a paragraph and a list that follows it (CommonMark lets a list
    interrupt a paragraph; Python-Markdown would run the items into the paragraph)."""
    if "- " not in text and ". " not in text:
        return text
    out: list[str] = []
    stack: list[int] = []  # source column where the text of each open list item starts
    kinds: dict[int, bool] = {}  # depth -> whether the list open at that depth is ordered
    fence = False
    previous = "blank"  # blank, item, text or other
    for line in text.split("\n"):
        if _FENCE.match(line):
            fence = not fence
        if fence or not line.strip():
            out.append(line if not stack or not line.strip() else _shift(line, stack))
            previous = "blank" if not line.strip() else "other"
            continue
        line = line.expandtabs(4)
        indent = len(line) - len(line.lstrip(" "))
        item = _LIST_ITEM.match(line)
        if item:
            while stack and indent < stack[-1]:
                stack.pop()
            indent_out = indent if not stack and indent < 4 else 4 * len(stack)
            spaces = len(item.group(3))
            ordered = item.group(2)[0].isdigit()
            depth = len(stack)
            # a paragraph, or a list of the other kind, right before: a new list starts
            if previous == "text" or (previous != "blank" and kinds.get(depth, ordered)
                                      != ordered):
                out.append("")
            kinds = {d: k for d, k in kinds.items() if d < depth} | {depth: ordered}
            stack.append(indent + len(item.group(2)) + (spaces if 0 < spaces <= 4 else 1))
            out.append(" " * indent_out + line[indent:])
            previous = "item"
            continue
        if stack and indent == 0:
            if previous == "blank":  # a paragraph after a blank line at the margin ends lists
                stack.clear()
                kinds.clear()
            out.append(line)  # (else a lazy continuation line: leave it to Markdown)
        elif stack:
            out.append(_shift(line, stack))
        else:
            out.append(line)
        previous = "other" if line.lstrip()[:1] in ("#", "|", ">") else "text"
    return "\n".join(out)


def _shift(line: str, stack: list[int]) -> str:
    """A continuation line inside list items: indented by 4 per enclosing item."""
    indent = len(line) - len(line.lstrip(" "))
    while len(stack) > 1 and indent < stack[-1]:
        stack.pop()
    depth = len(stack)
    extra = max(indent - stack[-1], 0)
    return " " * (4 * depth + extra) + line.lstrip(" ")


# Document references --------------------------------------------------------------------------

_NO_LINKS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


# Any id-like token (upper-case segments joined by hyphens); looked up in a set, so the cost is
# linear in the text however many documents a pack has (an alternation of 1,000 ids is not).
_ID_TOKEN = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![\w-])")


class Mentions:
    """Finds the ids of a pack's documents in texts. Ids share a few first segments (the
    organisation's prefix), so a text is searched for those, and the id pattern is tried only
    where one occurs: scanning all of every document with the pattern cost a large pack
    more than describing its outputs. The pattern decides, at the same places, so the ids
    found are those a scan would find."""

    def __init__(self, ids: Collection[str]):
        self.known = ids if isinstance(ids, (set, frozenset, dict)) else set(ids)
        self.heads = sorted({i.split("-", 1)[0] + "-" for i in self.known if "-" in i})

    def of(self, text: str) -> list[str]:
        """The ids `text` names, in first-mention order."""
        return list(dict.fromkeys(match.group(0) for match in self.matches(text)))

    def matches(self, text: str) -> list[re.Match]:
        """Every mention of a known id in `text`, in order."""
        found: dict[int, re.Match] = {}
        for head in self.heads:
            at = text.find(head)
            while at != -1:
                match = _ID_TOKEN.match(text, at)  # its look-behind sees the text before `at`
                if match is not None and match.group(0) in self.known:
                    found[at] = match
                at = text.find(head, at + 1)
        return [found[at] for at in sorted(found)]


def linked(xhtml: str, links: dict[str, str], self_id: str = "") -> str:
    """`xhtml` with every mention of another document's id made a link to it (`links`: id ->
    href); not inside links, code or headings, and never to the document itself.

    It works on the markup before it is parsed, at the few places where an id occurs, where
    walking the parsed tree visited every element of every document (several hundred each).
    The markup is well-formed XHTML, so "<" appears only where a tag, comment, CDATA section
    or processing instruction begins; Markdown never nests a, code, pre or headings in their
    own kind.
    """
    targets = {doc_id: href for doc_id, href in links.items() if doc_id != self_id and href}
    if not targets:
        return xhtml
    if "&#" in xhtml:  # a character reference could spell part of an id: match what it means
        xhtml = _CHARACTER_REFERENCE.sub(_as_character, xhtml)
    mentions = Mentions(targets).matches(xhtml)
    if not mentions:
        return xhtml
    shut = [(m.start(), m.end()) for m in _NO_LINK_SPAN.finditer(xhtml)]
    starts = [start for start, _ in shut]
    out: list[str] = []
    position = 0
    for mention in mentions:
        at = mention.start()
        before = bisect.bisect_right(starts, at) - 1
        if before >= 0 and shut[before][1] > at:
            continue  # inside a link, code, a heading or a comment
        tag = xhtml.rfind("<", 0, at)
        if tag >= 0 and (markup := _TAG.match(xhtml, tag)) is not None and markup.end() > at:
            continue  # inside a tag: an attribute's value
        out += [xhtml[position:at], f'<a href="{html.escape(targets[mention.group(0)])}">',
                mention.group(0), "</a>"]
        position = mention.end()
    out.append(xhtml[position:])
    return "".join(out)


_ATTRIBUTES = r"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*"""
_TAG = re.compile(rf"</?[^\s/>!?]+{_ATTRIBUTES}/?>")
# Where no link goes: the _NO_LINKS elements with their content (an empty `<a/>` has none),
# comments, CDATA sections and processing instructions.
_NO_LINK_SPAN = re.compile(
    rf"<(?P<name>{'|'.join(sorted(_NO_LINKS))}){_ATTRIBUTES}(?:/>|>.*?</(?P=name)\s*>)"
    r"|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.DOTALL)
_CHARACTER_REFERENCE = re.compile(r"&#([0-9]+|[xX][0-9A-Fa-f]+);")
_RESERVED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}


def _as_character(match: re.Match) -> str:
    """A character reference as the character it stands for (the five XML reserves as their
    named entities), which parses to the same text or attribute value."""
    number = match.group(1)
    try:
        character = chr(int(number[1:], 16) if number[0] in "xX" else int(number))
    except (ValueError, OverflowError):
        return match.group(0)  # not a character: the parse reports it
    if character in _RESERVED:
        return _RESERVED[character]
    # whitespace stays a reference: in an attribute, a literal newline would parse as a space
    return character if character.isprintable() else match.group(0)
