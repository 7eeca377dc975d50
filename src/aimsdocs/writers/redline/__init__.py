"""Tracked changes in Word documents and patches for Markdown ones.

- `amend_docx` / `amend_markdown`: propose additions to an organisation's own documents.
- `list_paragraphs` / `markdown_headings`: what a caller anchors the additions to.
- `find_present`: which additions a document already contains (nothing is proposed twice).
- `redline_docx`: a new version of one of our documents with the changes since the old.
- `accept_all` / `reject_all`: Word's "Accept/Reject All Changes", to check the results.
"""

from aimsdocs.writers.redline.amendments import (
    Addition,
    Amendment,
    NewSection,
    Replacement,
    marker,
)
from aimsdocs.writers.redline.compare import redline_docx
from aimsdocs.writers.redline.docx_amend import amend_docx
from aimsdocs.writers.redline.markdown_amend import (
    MarkdownHeading,
    amend_markdown,
    markdown_headings,
    unified_patch,
)
from aimsdocs.writers.redline.paragraphs import (
    BodyParagraph,
    find_heading,
    list_paragraphs,
    paragraph_texts,
    section_end,
)
from aimsdocs.writers.redline.presence import Presence, find_present
from aimsdocs.writers.redline.review import accept_all, reject_all

__all__ = [
    "Addition",
    "Amendment",
    "BodyParagraph",
    "MarkdownHeading",
    "NewSection",
    "Presence",
    "Replacement",
    "accept_all",
    "amend_docx",
    "amend_markdown",
    "find_heading",
    "find_present",
    "list_paragraphs",
    "markdown_headings",
    "marker",
    "paragraph_texts",
    "redline_docx",
    "reject_all",
    "section_end",
    "unified_patch",
]
