"""Markdown -> XHTML with Python-Markdown: our extensions, and shortcuts that change nothing.

Converting the Markdown is the largest single cost of a build (a pack of a thousand AI
systems holds some 50 MB of it). Python-Markdown spends most of that time on work that
cannot change a typical document: a dozen inline pattern searches over text that holds no
markup character, an attribute-list pass over a document without a "{", a table-cell split
written for code spans in rows that have none, and a table of contents that nobody reads.
Each shortcut below skips such work only where the result is provably the same, and
`tests/test_writers_tree.py` compares the output with unmodified Python-Markdown. A release
whose processors differ from the ones these shortcuts were written for goes without them.
"""

from __future__ import annotations

import html
import inspect
import re
import threading
from collections.abc import Callable

import markdown
from markdown.extensions import attr_list, tables, toc

from aimsdocs.writers import mdfast

EXTENSIONS = ("tables", "fenced_code", "sane_lists", "attr_list", "toc")

_local = threading.local()


def convert(text: str) -> str:
    """`text` as XHTML (without the enclosing element). Heading ids come from `toc`, so
    HTML anchors and DOCX bookmarks get the same names. Text in the plain subset our
    templates write is converted directly (`mdfast`), the rest by Python-Markdown."""
    md = _markdown()
    if md.aimsdocs_fast:
        fast = mdfast.convert(text, _heading_ids(md.treeprocessors["toc"]))
        if fast is not None:
            return fast
    md.reset()
    md.aimsdocs_source = text  # what the shortcuts test
    return md.convert(text)


def _fast_path_valid(md: markdown.Markdown) -> bool:
    """`mdfast` reproduces the processors as configured here and as this release has them;
    with any of them changed (a shortcut switched itself off) everything goes the long way."""
    return (set(md.ESCAPED_CHARS) == mdfast.ESCAPABLE
            and type(md.treeprocessors["inline"]) is _PlainTextFirst
            and type(md.treeprocessors["toc"]) is _TocIdsOnly
            and type(md.parser.blockprocessors["table"]) is _PlainRowSplit)


def _heading_ids(processor: toc.TocTreeprocessor) -> Callable[[str], str]:
    """Unique heading ids for one document, as `_TocIdsOnly` gives them: from the heading's
    inner XHTML, tags stripped and entities decoded."""
    used: set[str] = set()
    counters: dict[str, int] = {}

    def heading_id(inner: str) -> str:
        name = toc.strip_tags(inner)
        return toc.unique(processor.slugify(html.unescape(name), processor.sep), used,
                          counters)

    return heading_id


def stock_markdown() -> markdown.Markdown:
    """Python-Markdown as aimsdocs configures it, without the shortcuts."""
    md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="xhtml")
    # Profile text reaches templates unescaped, so raw HTML must stay literal text:
    # `<script>` in an organisation name is words, never markup, in every format.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _markdown() -> markdown.Markdown:
    """One Markdown instance per thread: building one costs more than converting a page."""
    md = getattr(_local, "md", None)
    if md is None:
        md = stock_markdown()
        md.aimsdocs_source = ""
        if {p.__class__.__name__ for p in md.inlinePatterns} == INLINE_PROCESSORS:
            md.treeprocessors.register(_PlainTextFirst(md), "inline", 20)
        if _SAME_TOC:
            _specialise(md.treeprocessors["toc"], toc.TocTreeprocessor, _TocIdsOnly)
        _specialise(md.treeprocessors["attr_list"], attr_list.AttrListTreeprocessor,
                    _AttrListWhereBraces)
        _specialise(md.parser.blockprocessors["table"], tables.TableProcessor,
                    _PlainRowSplit)
        md.aimsdocs_fast = _fast_path_valid(md)
        _local.md = md
    return md


def _specialise(processor: object, expected: type, special: type) -> None:
    """Swap in our subclass, keeping the instance's configuration."""
    if type(processor) is expected:
        processor.__class__ = special


# Inline processors registered with our extensions, and a character (or the two-space line
# break) that each needs before it can match anything. A text with none of them comes out of
# the inline step unchanged, so it skips the dozen pattern searches.
INLINE_PROCESSORS = {
    "BacktickInlineProcessor",  # ` (or \ before it)
    "EscapeInlineProcessor",  # \
    "ReferenceInlineProcessor", "LinkInlineProcessor", "ShortReferenceInlineProcessor",  # [
    "ImageInlineProcessor", "ImageReferenceInlineProcessor",  # ![
    "ShortImageReferenceInlineProcessor",
    "AutolinkInlineProcessor", "AutomailInlineProcessor",  # <
    "SubstituteTagInlineProcessor",  # two spaces before a line break
    "HtmlInlineProcessor",  # & of an entity
    "DelimiterProcessor",  # * and _
}
_INLINE_TRIGGER = re.compile(r"[\\`\[<&*_\x02\x03]|  \n")  # \x02 \x03: stash placeholders


class _PlainTextFirst(markdown.treeprocessors.InlineProcessor):
    """Python-Markdown's inline step, returning plain text untouched without searching it."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if _INLINE_TRIGGER.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


class _AttrListWhereBraces(attr_list.AttrListTreeprocessor):
    """Every attribute list ("{: #id .class}") has a "{"; without one in the source (escapes
    and entities only become characters after this step) there is nothing to look for."""

    def run(self, doc) -> None:
        if "{" in self.md.aimsdocs_source:
            super().run(doc)


class _PlainRowSplit(tables.TableProcessor):
    """A table row without code spans or escapes splits at every pipe."""

    def _split(self, row: str) -> list[str]:
        if "`" not in row and "\\" not in row:
            return row.split("|")
        return super()._split(row)


class _TocIdsOnly(toc.TocTreeprocessor):
    """The heading ids, computed as `toc` computes them, without the table of contents that
    `toc` also builds and serialises (aimsdocs never shows it). With a "[TOC]" marker to
    replace, or attribute lists that may set a toc label, `toc` runs in full."""

    def run(self, doc) -> None:
        source = self.md.aimsdocs_source
        if (self.marker and self.marker in source) or "{" in source or self.use_anchors \
                or self.use_permalinks not in (False, None):
            super().run(doc)
            return
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        id_counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = toc.strip_tags(toc.render_inner_html(toc.remove_fnrefs(el),
                                                                self.md))
                    el.attrib["id"] = toc.unique(self.slugify(html.unescape(name), self.sep),
                                                 used_ids, id_counters)
        self.md.toc_tokens = []
        self.md.toc = ""


def _toc_is_as_expected() -> bool:
    """The id step above copies `toc`'s own; use it only with the release it was read from."""
    try:
        source = inspect.getsource(toc.TocTreeprocessor.run)
    except (OSError, TypeError):
        return False
    return ('el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, '
            'id_counters)' in source and "innerhtml = render_inner_html(remove_fnrefs(el), "
            "self.md)" in source and len(inspect.signature(toc.unique).parameters) == 3)


_SAME_TOC = _toc_is_as_expected()
