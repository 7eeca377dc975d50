"""Read a Markdown ISMS document into blocks: headings, paragraphs, list items, quotes, table rows.

A small line-based reader rather than a full Markdown renderer: we need the structure, the
links and the line of every block, not HTML, and it keeps YAML front-matter line numbers exact
for error messages. Real handbooks bend the syntax, so it also reads headings without a space
after the hashes (`####6.1.1 Screening`), HTML headings (`<h2>Scope</h2>`) and HTML links.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.isms.parsed import (
    HEADING,
    ITEM,
    PARAGRAPH,
    QUOTE,
    ROW,
    Block,
    Link,
    ParsedDocument,
)
from aimsdocs.support.yamlio import LocatedYaml, load_yaml, read_text

_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
# '#Title' / '####6.1.1 Screening': no space, but a capital or a number then a letter; a
# lower-case '#channel' or '#123' is a tag or an issue number, not a heading.
_ATX_TIGHT = re.compile(r"^\s{0,3}(#{1,6})(?=[A-Z0-9ÄÖÜÉÈ])(?=[^\n]*[^\W\d_])(.+?)\s*#*\s*$")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1\s*>\s*$", re.IGNORECASE)
_HTML_LINK = re.compile(r"<a\b[^>]*?\bhref\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>",
                        re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_EMPHASIS = re.compile(r"\*\*|__|`")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ANCHOR = re.compile(r"\s*\{#[^}]*\}\s*$")
_CELL_BAR = re.compile(r"(?<!\\)\|")
# A fragment without these characters has no links, tags, references or emphasis to remove.
_MARKUP = re.compile(r"[\[<&*_`]")


def read_markdown(path: Path) -> ParsedDocument:
    text = read_text(path)
    front, body_start = _front_matter(path, text)
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    blocks = _Parser().parse(body.split("\n")[body_start:], first_line=body_start + 1)
    return ParsedDocument(path, "md", blocks, front_matter=front)


def _front_matter(path: Path, text: str) -> tuple[LocatedYaml | None, int]:
    """YAML between a first line '---' and the next '---'/'...' line, with file line numbers."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            # A leading newline makes YAML line numbers equal to line numbers in the file.
            located = load_yaml(path, text="\n" + "\n".join(lines[1:end]))
            if located.data is not None and not isinstance(located.data, dict):
                raise InputError("front matter must be a mapping (key: value lines)",
                                 file=path, line=2)
            _keep_written_numbers(located, lines)
            return located, end + 1
    return None, 0  # no closing line: it was a horizontal rule, not front matter


def _keep_written_numbers(located: LocatedYaml, lines: list[str]) -> None:
    """YAML reads `version: 2.10` as the number 2.1; keep what the author wrote."""
    for key, value in (located.data or {}).items():
        line = located.line_of((key,))
        if isinstance(value, float) and line is not None:
            written = lines[line - 1].split(":", 1)[-1].split("#", 1)[0].strip()
            located.data[key] = written or value


def _inline(text: str) -> tuple[str, tuple[Link, ...]]:
    """Plain text of a Markdown fragment plus its links (images dropped)."""
    if _MARKUP.search(text) is None:
        return text.strip(), ()
    links: list[Link] = []

    def replace(match: re.Match) -> str:
        if match.group(1):
            return ""
        label = match.group(2)
        links.append(Link(_EMPHASIS.sub("", label).strip(), match.group(3)))
        return label

    def replace_html(match: re.Match) -> str:
        label = _HTML_TAG.sub("", match.group(2))
        links.append(Link(" ".join(label.split()), match.group(1).strip()))
        return label

    # Each pattern needs a character most fragments lack; testing for it first skips the
    # regex (a rendered pack has some hundred thousand fragments).
    if "[" in text:
        text = _LINK.sub(replace, text)
    if "<" in text:
        text = _HTML_LINK.sub(replace_html, text)
        text = _HTML_TAG.sub("", text)
    text = html.unescape(text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    return text.strip(), tuple(links)


def _cells(line: str) -> list[str]:
    line = line.strip()
    line = line.removeprefix("|")
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    if "\\" not in line:
        return [cell.strip() for cell in line.split("|")]
    return [cell.replace("\\|", "|").strip() for cell in _CELL_BAR.split(line)]


class _Parser:
    """Collects blocks line by line; `_kind`/`_lines` hold the block being built."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._kind: str | None = None
        self._lines: list[str] = []
        self._start = 0  # line of the block being built
        self._number = 0  # line being read
        self._table = 0  # tables seen so far
        self._header: tuple[str, ...] = ()  # first row of the current table
        self._in_table = False

    def parse(self, lines: list[str], first_line: int = 1) -> list[Block]:
        in_fence = False
        for number, line in enumerate(lines, start=first_line):
            self._number = number
            if ("`" in line or "~" in line) and _FENCE.match(line):
                self._flush()
                in_fence = not in_fence
                continue
            if not in_fence:
                self._line(line)
        self._flush()
        return self.blocks

    def _line(self, line: str) -> None:
        stripped = line.lstrip()
        if not stripped.startswith("|"):
            self._in_table = False
        if not stripped:
            self._flush()
            return
        if self._kind == PARAGRAPH and _SETEXT.match(line):
            level = 1 if line.strip().startswith("=") else 2
            text = " ".join(self._lines)
            start = self._start
            self._kind, self._lines = None, []
            self._heading(level, text, start)
            return
        # Every block pattern starts with a marker character after the indent: lines of
        # plain text (most lines) skip the patterns that cannot match them.
        lead = stripped[0]
        match = ((_ATX.match(line) or _ATX_TIGHT.match(line)) if lead == "#"
                 else _HTML_HEADING.match(line) if lead == "<" else None)
        if match is not None:
            self._flush()
            level = int(match.group(1)) if match.group(1).isdigit() else len(match.group(1))
            self._heading(level, match.group(2))
        elif lead in "-*_" and _RULE.match(line):
            self._flush()
        elif lead == ">" and (match := _QUOTE.match(line)) is not None:
            self._continue(QUOTE, match.group(1))
        elif lead == "|":
            self._flush()
            self._row(line)
        elif (lead in "-*+" or lead.isdigit()) and (match := _ITEM.match(line)) is not None:
            self._flush()
            self._continue(ITEM, match.group(1))
        else:
            self._continue(self._kind or PARAGRAPH, line.strip())

    def _continue(self, kind: str, text: str) -> None:
        if self._kind != kind:
            self._flush()
            self._kind = kind
            self._start = self._number
        if text.strip():
            self._lines.append(text.strip())
        elif kind == QUOTE:  # an empty '>' line ends a quoted paragraph
            self._flush()
            self._kind = QUOTE

    def _flush(self) -> None:
        if self._kind and self._lines:
            text, links = _inline("\n".join(self._lines))
            if text:
                self.blocks.append(Block(self._kind, text, links=links, line=self._start))
        self._kind, self._lines = None, []

    def _heading(self, level: int, raw: str, line: int = 0) -> None:
        text, links = _inline(_ANCHOR.sub("", raw))
        text = " ".join(text.split())
        if text:
            self.blocks.append(Block(HEADING, text, level, links, line=line or self._number))

    def _row(self, line: str) -> None:
        # a rule's first cell starts with ':' or '-'; most rows are spared the pattern
        if line.lstrip().lstrip("|").lstrip()[:1] in (":", "-") and _TABLE_RULE.match(line):
            return
        cells: list[str] = []
        links: list[Link] = []
        if _MARKUP.search(line) is None:  # most rows: plain cells, nothing to strip
            cells = _cells(line)
        else:
            for raw in _cells(line):
                text, found = _inline(raw)
                cells.append(text)
                links.extend(found)
        if not self._in_table:
            self._in_table = True
            self._table += 1
            self._header = tuple(cells)
        if any(cells):
            self.blocks.append(Block(ROW, " | ".join(cells), links=tuple(links),
                                     cells=tuple(cells), line=self._number, table=self._table,
                                     header=self._header))


def read_markdown_text(text: str, path: Path) -> ParsedDocument:
    """Markdown already in memory (a rendered AIMS document) read by the same rules."""
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return ParsedDocument(path, "md", _Parser().parse(body.split("\n")))
