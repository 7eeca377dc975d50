"""The parsed document tree: the shortcuts in the Markdown parser change nothing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from helpers import REPO
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aimsdocs.writers import mdfast, mdparse, tree


def _both(text: str) -> tuple[str, str]:
    return mdparse.stock_markdown().convert(text), mdparse.convert(text)


def test_the_shortcuts_are_in_use_with_this_markdown_release():
    # When a Python-Markdown release changes the processors a shortcut was written for, the
    # shortcut switches itself off; this test says so, so that it gets reviewed.
    md = mdparse._markdown()
    assert type(md.treeprocessors["inline"]) is mdparse._PlainTextFirst
    assert type(md.treeprocessors["toc"]) is mdparse._TocIdsOnly
    assert type(md.treeprocessors["attr_list"]) is mdparse._AttrListWhereBraces
    assert type(md.parser.blockprocessors["table"]) is mdparse._PlainRowSplit
    assert md.aimsdocs_fast  # and so the direct converter is used


def test_sample_templates_parse_the_same_with_and_without_the_shortcut():
    texts = [path.read_text(encoding="utf-8") for path in
             sorted((REPO / "src/aimsdocs/templates").glob("*.md.j2"))]
    assert texts
    for text in texts:  # template source is Markdown with Jinja tags: good mixed input
        reference, ours = _both(text)
        assert ours == reference


def test_template_sub_lists_are_indented_to_nest_under_any_item_number():
    """A sub-list indented by three spaces nests under "9. " but not under "11. ", where it
    becomes a list of its own after the numbered one; four spaces nest under both."""

    short = re.compile(r"^ {1,3}(?:[-*+]|\d+[.)]) ")
    found = [f"{path.name}:{number}" for path in
             sorted((REPO / "src/aimsdocs/templates").glob("*.md.j2"))
             for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
             if short.match(line)]
    assert found == []


PIECES = st.sampled_from([
    "word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(",
    ")", "!", "<", ">", "&", "&amp;", "&copy;", "&#169;", "#", "- ", "1. ",
    "| a | b |\n|---|---|\n",
    "<https://example.org>", "<a@b.org>", "[x](https://example.org)", "![i](p.png)",
    "[ref]", "[ref]: https://example.org\n", "\x02", "\x03", "é", "{: #id }", "    ", "> ",
    "```\ncode\n```\n", "~", "=", "## Heading\n", "# Same\n\n# Same\n", "[TOC]\n",
    "# Title {: #custom }\n", "| `a|b` | \\| c |\n|---|---|\n| x | y |\n", "{", "}",
    "| a \\| b | c |\n|---|---|\n| d | e \\\\| f |\n",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
@example("a hard  \nbreak")
@example("an entity &copy; and &#169; and a & b")
@example("*em* **strong** _em_ `code` \\* [link](x) <https://example.org>")
def test_any_markdown_parses_the_same_with_and_without_the_shortcut(text):
    reference, ours = _both(text)
    assert ours == reference


# The direct converter (`mdfast`) for the plain subset our templates write: wherever it takes
# a text, its XHTML is Python-Markdown's, byte for byte.

def _fast(text: str) -> str | None:
    return mdfast.convert(text, mdparse._heading_ids(mdparse._markdown().treeprocessors["toc"]))


LINES = st.sampled_from([
    "", "", "Plain words.", "Two  spaces inside", "**Owner:** Jonas Richter", "*draft* text",
    "a **b** c *d* e", "**x**.", "(*y*)", "[TO COMPLETE: date]", "[**z**]", "x * y", "a*b*",
    "**open", "close**", "***both***", "* *", "A & B > C < D", "\"quoted\" 'single'", "é ü ß",
    "# Title", "## Purpose", "### 3. Impacts (A.5.4)", "#NoSpace", "####### seven", "# C#",
    "## Purpose", "# Trailing |", "- item", "- **bold** item", "-  two spaces", "- ", "- # x",
    "- - nested", "1. first", "2. second", "3. third", "10. ten", "07. seven", "1) paren", "* star",
    "+ plus", "| Id | Change |", "|---|---|", "|:---|---:|", "|:-:|---|", "| a | b |",
    "| | |", "| one |", "| a | **b** |", "|---|", "> quoted", "> **Note.** text", ">", "> - q",
    "> # H", ">no space", "---", "***", "===", "Text |", "a | b", "    indented", "\u00a0nbsp",
    "trailing ", "1.5 million", "2026.", "[x]: https://example.org", "Run `aimsdocs build`.",
    "`a*b*` and **`c`**", "`` double ` tick ``", "`unclosed", "| `a` | b |", "| `a|b` | c |",
    "Likelihood \\ Impact", "\\*not em\\*", "ends with \\", "| a \\| b | c |", "` `",
    "    - nested", "    - **b** nested", "    1. nested one", "    3. nested three",
    "        - deeper", "    text under an item", "     - five spaces", "    - ", "\t- tab",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(LINES, max_size=14).map("\n".join))
@example("# Same\n\n## Same\n\n### Same")
@example("| a | b |\n|---|:-:|")
@example("- a\n\n- b")
@example("> a\n\n> b")
@example("1. **a** x:\n    - b;\n    - c.\n2. d")
@example("- a\n    - b\n        - c\n- d")
def test_the_direct_converter_gives_python_markdowns_output(text):
    ours = _fast(text)
    if ours is not None:
        assert ours == mdparse.stock_markdown().convert(text)


def test_the_direct_converter_takes_the_rendered_sample_documents():
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.pipeline.prepare import prepare
    from aimsdocs.writers.tree import normalise_lists

    pack = prepare(REPO / "sample_org", BuildOptions(out=REPO / "output"))
    texts = [normalise_lists(doc.markdown) for doc in pack.rendered]
    # A document outside the subset is a template slip (a blank line between two items makes
    # the whole list loose, a paragraph per item; emphasis inside a word) or a new construct
    # that takes the slow parser: either way, worth a look.
    left = [doc.doc_id for doc, text in zip(pack.rendered, texts, strict=True)
            if _fast(text) is None]
    assert left == []
    for text in texts:
        stock = mdparse.stock_markdown().convert(text)
        assert _fast(text) == stock
        assert "<li>\n<p>" not in stock  # no loose list


# Document references: linked in the markup, as a walk of the parsed tree would link them ------

def _linked_by_walking_the_tree(xhtml: str, targets: dict[str, str]) -> ET.Element:
    """The straightforward reading of the rule, as an oracle: every text and tail outside
    a, code, pre and headings, ids matched in the text as parsed."""
    def anchors(text):
        pieces, lead, position = [], text, 0
        for match in tree._ID_TOKEN.finditer(text or ""):
            if match.group(0) not in targets:
                continue
            if pieces:
                pieces[-1].tail = text[position:match.start()]
            else:
                lead = text[:match.start()]
            anchor = ET.Element("a", href=targets[match.group(0)])
            anchor.text = match.group(0)
            pieces.append(anchor)
            position = match.end()
        if pieces:
            pieces[-1].tail = text[position:]
        return lead, pieces

    def walk(element):
        children = list(element)
        element.text, lead = anchors(element.text)
        for offset, anchor in enumerate(lead):
            element.insert(offset, anchor)
        for child in children:
            if child.tag not in tree._NO_LINKS:
                walk(child)
            child.tail, after = anchors(child.tail)
            index = list(element).index(child)
            for offset, anchor in enumerate(after, start=1):
                element.insert(index + offset, anchor)

    root = ET.fromstring(xhtml)
    walk(root)
    return root


MENTIONS = st.sampled_from([
    "", "MFS-POL-01", "MFS-PRO-02 and MFS-POL-01.", "see `MFS-POL-01`", "**MFS-PRO-02**",
    "[MFS-POL-01](x.html)", "# MFS-POL-01", "## About MFS-PRO-02", "| MFS-POL-01 | MFS-X-9 |",
    "|---|---|", "- MFS-PRO-02, *MFS-POL-01*", "> MFS-POL-01", "XMFS-POL-01 MFS-POL-01X",
    "MFS-POL-01-2", "&amp; MFS-POL-01 &lt;", "A & MFS-PRO-02 > B", "&eacute;MFS-POL-01",
    "MFS-POL-01&copy;", "&#77;FS-POL-01", "MFS&#45;POL-01", "`code` MFS-POL-01 `MFS-PRO-02`",
    "<span title=\"a>b\">MFS-POL-01</span>", "SELF-DOC-1 is this one", "    MFS-POL-01 in code",
    "MFS-PRO-02 \"q\" 'a'", "![MFS-POL-01](i.png) MFS-PRO-02", "<!-- MFS-POL-01 --> MFS-PRO-02",
    "<span title=\"MFS-POL-01\">MFS-PRO-02</span>", "<code>MFS-POL-01</code> MFS-PRO-02",
    "&#x4D;FS-POL-01", "&#34;MFS-POL-01&#34; &#38;", "<b>MFS-POL-01</b><i>MFS-PRO-02</i>",
    "![two\nlines](i.png) MFS-POL-01",
])


@settings(max_examples=800, deadline=None)
@given(st.lists(MENTIONS, max_size=10).map("\n".join))
@example("<span title=\"a>b\">MFS-POL-01</span>")
def test_mentions_are_linked_as_a_walk_of_the_parsed_tree_links_them(text):
    links = {"MFS-POL-01": "pol-01.html?a=1&b=\"2\"", "MFS-PRO-02": "pro 02.html",
             "SELF-DOC-1": "self.html", "MFS-NONE-3": ""}
    xhtml = tree._xhtml(text)
    expected = _linked_by_walking_the_tree(xhtml, {k: v for k, v in links.items()
                                                   if k != "SELF-DOC-1" and v})
    ours = tree.parse_markdown(text, links, "SELF-DOC-1")
    assert ET.tostring(ours) == ET.tostring(expected)


def test_only_the_text_is_linked_not_attributes_code_or_headings():
    text = "# MFS-POL-01\n\nSee MFS-POL-01 and `MFS-POL-01` in [MFS-POL-01](MFS-POL-01.html)."
    root = tree.parse_markdown(text, {"MFS-POL-01": "pol.html"})
    assert [a.get("href") for a in root.iter("a")] == ["pol.html", "MFS-POL-01.html"]
    assert root.find("h1").text == "MFS-POL-01"


def test_mentions_are_whole_known_ids_in_first_mention_order():
    from aimsdocs.writers.tree import Mentions

    mentions = Mentions({"MFS-POL-01", "MFS-PRO-02", "MFS-REC-01-AIS-7", "ISMS-07"})
    text = ("See MFS-PRO-02 and MFS-POL-01, then MFS-PRO-02 again; not X-MFS-POL-01, "
            "MFS-POL-011 or MFS-POL-01-B. Records: MFS-REC-01-AIS-7 (ISMS-07).")
    assert mentions.of(text) == ["MFS-PRO-02", "MFS-POL-01", "MFS-REC-01-AIS-7", "ISMS-07"]
    assert mentions.of("no ids here") == []
    assert Mentions(set()).of(text) == []


_PIECES = ["MFS-", "POL-", "01", "-", "X", "x", " ", "_", "é", "(", "\n", "MFS-POL-01", "AB-1"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_mentions_find_what_a_scan_of_the_whole_text_finds(text):
    """Mentions searches only where a known id's first segment occurs (writers/tree.py)."""
    from aimsdocs.writers.tree import _ID_TOKEN, Mentions

    known = {"MFS-POL-01", "MFS-POL-01-X", "AB-1", "MFS-01"}
    scanned = list(dict.fromkeys(m.group(0) for m in _ID_TOKEN.finditer(text)
                                 if m.group(0) in known))
    assert Mentions(known).of(text) == scanned


# The subset test as one pattern, as it was first written: the oracle for `_outside_subset`.
_OUTSIDE_AS_ONE_PATTERN = re.compile(
    r"[<_{\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]|!\[|\]\(|\]:|\[TOC\]|&#?\w+;|~~~|```"
    r"|\\(?:[" + re.escape("".join(sorted(mdfast.ESCAPABLE))) + r"]|$)",
    re.MULTILINE)


@settings(max_examples=2000, deadline=None)
@given(st.lists(PIECES | st.sampled_from(["&x;", "&#1;", "&", "\\", "\\q", "\\\n", "]:", "](",
                                          "[TOC]", "~~~", "``", "!", "\u2028", "\x7f"]),
                max_size=12).map("".join))
def test_the_subset_test_finds_what_one_pattern_of_it_finds(text):
    assert mdfast._outside_subset(text) == (_OUTSIDE_AS_ONE_PATTERN.search(text) is not None)
