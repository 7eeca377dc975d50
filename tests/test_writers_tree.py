"""The parsed document tree: the shortcuts in the Markdown parser change nothing."""

from __future__ import annotations

from helpers import REPO
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aimsdocs.writers import mdparse


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


def test_sample_templates_parse_the_same_with_and_without_the_shortcut():
    texts = [path.read_text(encoding="utf-8") for path in
             sorted((REPO / "src/aimsdocs/templates").glob("*.md.j2"))]
    assert texts
    for text in texts:  # template source is Markdown with Jinja tags: good mixed input
        reference, ours = _both(text)
        assert ours == reference


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
