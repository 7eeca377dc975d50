"""Markdown -> XHTML for the plain subset our templates write, without Python-Markdown.

Nearly every document aimsdocs renders is headings, paragraphs, tight lists and pipe tables,
with `**bold**`, `*em*` and literal `[TO COMPLETE: …]` brackets inline. For such a text the
XHTML Python-Markdown (as `mdparse` configures it) would return is fixed by a few rules, and
writing it directly is several times faster than running the library's block and inline
machinery over the same text. That is the largest single cost of a build.

`convert` returns None for anything outside the subset, and the caller runs Python-Markdown:
indented lines (but tight lists nested by four spaces), quotes, code, links, images, escapes,
entities, `_`, attribute lists, loose lists, hard line breaks, rules, and emphasis other than
one clean pair. A document either takes this path whole or not at all.
`tests/test_writers_tree.py` compares the two on every template and on generated text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Characters a backslash escapes (Python-Markdown's, with `tables`'s pipe); a backslash before
# any other character is kept as written.
ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|")
# Characters and sequences whose Markdown meaning this module does not reproduce. One
# pattern of all of them tried every alternative at every character, a third of the time
# converting took; a character class, substrings and two patterns behind a `in` test find
# the same (see `_outside_subset`).
_UNSUPPORTED_CHARACTER = re.compile(r"[<_{\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_UNSUPPORTED_SEQUENCES = ("![", "](", "]:", "[TOC]", "~~~", "```")
_ENTITY = re.compile(r"&#?\w+;")
_ESCAPE = re.compile(r"\\(?:[" + re.escape("".join(sorted(ESCAPABLE))) + r"]|$)",
                     re.MULTILINE)
# A line that is not paragraph text: indented, heading, quote, table, list item.
_NOT_PLAIN = re.compile(r"[ #>|]|(?:\d+[.)]|[-*+])(?: |$)")
# A line only of rule, underline or table-separator characters (rules, setext headings).
_RULE_LIKE = re.compile(r"[-*_=:| ]+")
_HEADING = re.compile(r"(#{1,6}) +(\S.*)")
_BULLET = re.compile(r"- +(.*)")
_NUMBERED = re.compile(r"(\d+)\. +(.*)")
_QUOTED = re.compile(r"> ?(.*)")
_NESTED = "    "  # a nested list's indent (tree.normalise_lists writes every list so)
# A code span as Python-Markdown finds it: a run of backticks, up to the next run as long.
_CODE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_STASHED = re.compile("\x02([0-9]+)\x03")
_SEPARATOR_CELL = re.compile(r" *:?-+:? *")
# One emphasis pair: opened at the start or after a space or opening mark, closed at the end
# or before a space or closing mark, with no asterisk and no outer space inside.
_EMPHASIS = re.compile(r"(?:(?<=[\s(\[\"'])|^)(\*\*?)(?=[^\s*])([^*]*[^\s*])\1"
                       r"(?=[\s.,;:!?)\]\"']|$)")


def _outside_subset(text: str) -> bool:
    return (_UNSUPPORTED_CHARACTER.search(text) is not None
            or any(sequence in text for sequence in _UNSUPPORTED_SEQUENCES)
            or ("&" in text and _ENTITY.search(text) is not None)
            or ("\\" in text and _ESCAPE.search(text) is not None))


class _Unsupported(Exception):
    pass


def convert(text: str, slug: Callable[[str], str]) -> str | None:
    """`text` as XHTML, or None when it holds anything outside the subset. `slug(name)`
    gives a heading's unique id, as the `toc` extension would."""
    if not text.strip():
        return ""
    if _outside_subset(text):
        return None
    try:
        return _Document(slug).render(text)
    except _Unsupported:
        return None


class _Document:
    def __init__(self, slug: Callable[[str], str]):
        self.slug = slug
        self.out: list[str] = []
        self.last = ""  # tag of the last block written: a list right after one joins it

    def render(self, text: str) -> str:
        block: list[str] = []
        for line in text.split("\n"):
            if line:
                if line[-1] == " ":
                    raise _Unsupported  # hard breaks, blank-looking lines
                block.append(line)
            elif block:
                self.block(block)
                block = []
        if block:
            self.block(block)
        return "\n".join(self.out)

    def block(self, lines: list[str]) -> None:
        """One run of non-blank lines, classified in Python-Markdown's order: a table claims
        the whole block, else a heading line splits it, else a list or a paragraph."""
        if len(lines) > 1 and lines[0][0] == "|":
            self.table(lines)
            return
        if len(lines) > 1 and lines[0][-1] == "|":
            raise _Unsupported  # Python-Markdown may read it as a one-column table
        for index, line in enumerate(lines):
            if line[0] == "#":
                if index:
                    self.block(lines[:index])
                self.heading(line)
                if index + 1 < len(lines):
                    self.block(lines[index + 1:])
                return
        first = lines[0]
        if first[0] == ">":
            self.quote(lines)
        elif _NUMBERED.match(first):
            self.items("ol", _NUMBERED, lines)
        elif _BULLET.match(first):
            self.items("ul", _BULLET, lines)
        else:
            for line in lines:
                if _NOT_PLAIN.match(line) or _RULE_LIKE.fullmatch(line):
                    raise _Unsupported
            text = "\n".join(lines)
            if text.strip():  # (a line of other white space makes no paragraph)
                self.emit("p", f"<p>{inline(text.lstrip())}</p>")

    def quote(self, lines: list[str]) -> None:
        """Lines all marked `>`: their text, unmarked, is a document of its own inside."""
        if self.last == "blockquote":
            raise _Unsupported  # Python-Markdown would continue the quote above
        inner: list[str] = []
        for line in lines:
            match = _QUOTED.match(line)
            if match is None:
                raise _Unsupported  # a lazy continuation line
            inner.append(match.group(1))
        if not inner[-1] and len(inner) > 1:
            raise _Unsupported  # Python-Markdown keeps the newline before a closing ">"
        body = _Document(self.slug).render("\n".join(inner))
        self.emit("blockquote", f"<blockquote>\n{body}\n</blockquote>" if body
                  else "<blockquote></blockquote>")

    def heading(self, line: str) -> None:
        match = _HEADING.fullmatch(line)
        if match is None or line[-1] == "#":
            raise _Unsupported
        level, content = len(match.group(1)), inline(match.group(2).strip())
        self.emit("h", f'<h{level} id="{self.slug(content)}">{content}</h{level}>')

    def items(self, tag: str, pattern: re.Pattern, lines: list[str]) -> None:
        if self.last == tag:
            raise _Unsupported  # Python-Markdown would continue the list above, loosely
        parts = [f"<{tag}>"]
        index = 0
        while index < len(lines):
            match = pattern.fullmatch(lines[index])
            if match is None:
                raise _Unsupported  # a lazy continuation line
            if tag == "ol" and index == 0 and match.group(1) != "1":
                parts[0] = f'<ol start="{match.group(1)}">'  # its first number, as written
            content = match.group(match.lastindex or 1)
            if not content.strip() or _NOT_PLAIN.match(content) or _RULE_LIKE.fullmatch(content):
                raise _Unsupported  # a nested block inside the item
            index += 1
            nested = []  # the item's own list: the lines indented by four spaces below it
            while index < len(lines) and lines[index].startswith(_NESTED):
                nested.append(lines[index][len(_NESTED):])
                index += 1
            parts.append(f"<li>{inline(content.lstrip())}{self.sublist(nested)}</li>")
        parts.append(f"</{tag}>")
        self.emit(tag, "\n".join(parts))

    def sublist(self, lines: list[str]) -> str:
        """A tight list nested in an item, as Python-Markdown writes it: right after the
        item's text, with a line break after it."""
        if not lines:
            return ""
        inner = _Document(self.slug)
        if _NUMBERED.match(lines[0]):
            inner.items("ol", _NUMBERED, lines)
        elif _BULLET.match(lines[0]):
            inner.items("ul", _BULLET, lines)
        else:
            raise _Unsupported  # an indented paragraph, not a list
        return inner.out[0] + "\n"

    def table(self, lines: list[str]) -> None:
        header, separator = _cells(lines[0]), _cells(lines[1])
        if (len(header) < 2 or len(separator) != len(header)
                or not all(_SEPARATOR_CELL.fullmatch(c) for c in separator)):
            raise _Unsupported
        styles = [_align(cell.strip(" ")) for cell in separator]
        parts = ["<table>", "<thead>", _row("th", header, styles), "</thead>", "<tbody>"]
        if len(lines) == 2:  # no body rows: one of empty cells, unaligned
            parts.append(_row("td", [], [""] * len(styles)))
        for line in lines[2:]:
            parts.append(_row("td", _cells(line), styles))
        parts += ["</tbody>", "</table>"]
        self.emit("table", "\n".join(parts))

    def emit(self, tag: str, xhtml: str) -> None:
        self.out.append(xhtml)
        self.last = tag


def _cells(line: str) -> list[str]:
    """A table line's cells: between its outer pipes, split at every pipe."""
    if len(line) < 2 or line[0] != "|" or line[-1] != "|" or line[-2] == "\\":
        raise _Unsupported
    if "`" in line and not _plain_ticks(line):
        raise _Unsupported
    return line[1:-1].split("|")


def _plain_ticks(line: str) -> bool:
    """Single backticks in pairs with no pipe between: every pipe is then a cell border, as
    `tables` splits such a row."""
    ticks = re.findall(r"`+", line)
    return (all(t == "`" for t in ticks) and len(ticks) % 2 == 0
            and all("|" not in span for span in line.split("`")[1::2]))


def _align(cell: str) -> str:
    if cell.startswith(":") and cell.endswith(":"):
        return ' style="text-align: center;"'
    if cell.startswith(":"):
        return ' style="text-align: left;"'
    if cell.endswith(":"):
        return ' style="text-align: right;"'
    return ""


def _row(tag: str, cells: list[str], styles: list[str]) -> str:
    parts = ["<tr>"]
    for index, style in enumerate(styles):
        content = inline(cells[index].strip(" ")) if index < len(cells) else ""
        parts.append(f"<{tag}{style}>{content}</{tag}>")
    parts.append("</tr>")
    return "\n".join(parts)


def inline(text: str) -> str:
    """Escaped text, with each code span and each clean `**strong**` or `*em*` pair as its
    element. Code is found first and held aside (its content is literal), as
    Python-Markdown holds it behind a placeholder while the emphasis is paired."""
    if "`" not in text:
        return _emphasis(text)
    spans: list[str] = []

    def hold(match: re.Match) -> str:
        spans.append(match.group(2).strip())
        return f"\x02{len(spans) - 1}\x03"

    held = _CODE.sub(hold, text)
    if "`" in held:
        raise _Unsupported  # a backtick that opens no span
    return _STASHED.sub(lambda m: f"<code>{_escape(spans[int(m.group(1))])}</code>",
                        _emphasis(held))


def _emphasis(text: str) -> str:
    if "*" not in text:
        return _escape(text)
    parts: list[str] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        tag = "strong" if len(match.group(1)) == 2 else "em"
        parts.append(_escape(text[position:match.start()]))
        parts.append(f"<{tag}>{_escape(match.group(2))}</{tag}>")
        position = match.end()
    parts.append(_escape(text[position:]))
    if any("*" in plain for plain in parts[::2]):
        raise _Unsupported  # an asterisk outside a clean pair
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

