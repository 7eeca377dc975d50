"""Markdown writer: front matter a machine can read, a body a person can read."""

from __future__ import annotations

import datetime as dt

import yaml

from aimsdocs.render.document import DocumentControl, RenderedDocument, Revision
from aimsdocs.writers.markdown import write_markdown

CONTROL = DocumentControl(
    doc_id="POL-01", title="AI policy: scope & aims", doc_type="policy",
    organisation="Acme Ltd", owner="Jane Doe", approver="CEO",
    effective_date=dt.date(2025, 1, 1), next_review=dt.date(2026, 1, 1),
    addresses=("5.2", "A.2.2"),
    revisions=(Revision("1.0", dt.date(2025, 1, 1), "Jane Doe", "First | issue"),))


def written(markdown: str = "## Purpose\r\n\r\nWhy we do this.   \r\n") -> str:
    return write_markdown(RenderedDocument(CONTROL, markdown)).decode("utf-8")


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_front_matter_has_every_key():
    data = front_matter(written())
    assert list(data) == ["id", "title", "type", "version", "status", "classification",
                          "owner", "approver", "effective_date", "next_review", "addresses",
                          "organisation"]
    assert data["id"] == "POL-01"
    assert data["title"] == "AI policy: scope & aims"
    assert data["addresses"] == ["5.2", "A.2.2"]
    assert data["next_review"] == dt.date(2026, 1, 1)


def test_body_title_and_revision_history():
    text = written()
    assert "\n# AI policy: scope & aims\n\n## Purpose\n\nWhy we do this.\n" in text
    assert text.rstrip().endswith("| 1.0 | 2025-01-01 | Jane Doe | First \\| issue |")
    assert text.index("## Purpose") < text.index("## Revision history")


def test_existing_title_heading_is_not_repeated():
    text = written("# AI policy: scope & aims\n\nBody.\n")
    assert text.count("# AI policy: scope & aims\n") == 1


def test_lf_endings_and_one_final_newline():
    text = written()
    assert "\r" not in text
    assert text.endswith("|\n") and not text.endswith("\n\n")


def test_hard_line_break_inside_a_paragraph_is_kept():
    assert "first line  \nsecond line\n" in written("first line  \nsecond line\n")
