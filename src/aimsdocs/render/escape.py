"""Profile and ISMS text is data, not Markdown: escape it where templates read it.

A `|` in a description must not end its table cell, a line starting with `#` must not
become a heading, and `![x](https://...)` must not become a picture fetched from the web.
Line breaks inside a value become spaces (as Markdown shows a single line break anyway): a
value sits in a sentence, a list item or a table cell, and the template decides layout. So
every plain string a template reads from our data objects passes through `markdown_text`
once, as it is read (render.templates.TrackingEnvironment.getattr); what the template itself
writes stays Markdown. Ids and enum values contain none of these characters, so comparisons
with them are unaffected.
"""

from __future__ import annotations

import re

# Inline: the escape character itself, table cell separators, image openers.
_INLINE = str.maketrans({"\\": "\\\\", "|": "\\|"})
_LINE_BREAK = re.compile(r"[ \t]*\n\s*")
# Line starts that would open a block: heading, quote, list item, rule or setext underline,
# or an indented code block.
_BLOCK_START = re.compile(
    r"^[ \t]*(?P<mark>#|>|[-=_*](?=[-=_* \t]*$)|[-+*](?=[ \t])|\d+(?=[.)](?:[ \t]|$)))",
    re.MULTILINE)


def _block(match: re.Match) -> str:
    mark = match.group("mark")
    if mark[0].isdigit():  # "1. x": escape the dot that follows, not the number
        return mark + "\\"
    if mark == "=":
        return "&#61;"  # '=' has no Markdown escape; an entity reads the same
    return "\\" + mark


def markdown_text(text: str) -> str:
    """`text` as literal Markdown text: it renders as exactly these characters."""
    if not text:
        return text
    if "\n" in text:
        text = _LINE_BREAK.sub(" ", text.strip())
    text = text.translate(_INLINE).replace("![", "!\\[")
    return _BLOCK_START.sub(_block, text)
