"""HTML writer and the shared Markdown tree: escaping, safe links, the pack index."""

from __future__ import annotations

import datetime as dt

from aimsdocs.render.document import Brand, DocumentControl, RenderedDocument, Revision
from aimsdocs.writers.html import write_html, write_index
from aimsdocs.writers.registry import DocumentContext, Neighbour
from aimsdocs.writers.tree import parse_markdown, safe_href

BODY = """# Acceptable use

## Rules

Staff <script>alert("x")</script> must not paste secrets & keys.
[Click me](javascript:alert(1)) and [the intranet](https://intranet.example/ai).
A paragraph with a handler.
{: onclick="alert(1)" }

| Tool | Allowed |
|---|---|
| Chatbot | **No** |

[TO COMPLETE: name the approved tools]
"""


def make_doc(doc_id: str = "PRO-02", title: str = "Acceptable use",
             markdown: str = BODY) -> RenderedDocument:
    control = DocumentControl(
        doc_id=doc_id, title=title, doc_type="procedure", organisation="Acme <Ltd>",
        version="2.0", addresses=("A.9.2", "A.9.4"),
        revisions=(Revision("2.0", dt.date(2025, 3, 1), "A. Author", "Rewritten"),))
    return RenderedDocument(control, markdown)


def page() -> str:
    return write_html(make_doc()).decode("utf-8")


def test_standalone_utf8_page_with_control_block():
    html = page()
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "<th scope=\"row\">Document ID</th><td>PRO-02</td>" in html
    assert "<td>2025-03-01</td><td>A. Author</td><td>Rewritten</td>" in html
    assert html.count("Acceptable use</h1>") == 1  # the leading # title is not repeated


def test_text_is_escaped_never_markup():
    html = page()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Acme &lt;Ltd&gt;" in html
    assert "secrets &amp; keys" in html


def test_unsafe_links_and_attributes_are_dropped():
    html = page()
    assert "javascript:" not in html
    assert "Click me" in html
    assert '<a href="https://intranet.example/ai">the intranet</a>' in html
    assert "A paragraph with a handler.</p>" in html  # attr_list gave it onclick
    assert "onclick" not in html


def test_tables_and_todo_markers():
    html = page()
    assert "<th>Tool</th>" in html
    assert "<td><strong>No</strong></td>" in html
    assert "<mark>[TO COMPLETE: name the approved tools]</mark>" in html


def test_html_is_deterministic():
    assert write_html(make_doc()) == write_html(make_doc())


def test_index_lists_every_document_with_its_link():
    docs = [make_doc("POL-01", "AI policy", "Text."), make_doc("PRO-02", "Acceptable use")]
    links = {"POL-01": "ai-policy.html", "PRO-02": "acceptable-use.html"}
    html = write_index(docs, links, "Acme Ltd",
                       [("Statement of Applicability (Excel)", "../soa.xlsx"),
                        ("Evil", "javascript:alert(1)")]).decode("utf-8")
    assert '<a href="ai-policy.html">AI policy</a>' in html
    assert '<a href="acceptable-use.html">Acceptable use</a>' in html
    assert "<td>POL-01</td>" in html and "A.9.2, A.9.4" in html
    assert '<a href="../soa.xlsx">Statement of Applicability (Excel)</a>' in html
    assert "javascript:" not in html


def test_markdown_tree_handles_entities_and_raw_html():
    root = parse_markdown("Caf&eacute; &copy; &bogus; <b>not bold</b>")
    paragraph = root.find("p")
    assert paragraph.text == "Café © &bogus; <b>not bold</b>"
    assert paragraph.find("b") is None


def test_safe_href():
    assert safe_href("https://x.org") == "https://x.org"
    assert safe_href("mailto:a@b.org") == "mailto:a@b.org"
    assert safe_href("other.html#part") == "other.html#part"
    assert safe_href("java\tscript:alert(1)") is None
    assert safe_href("data:text/html,hi") is None


def test_page_navigates_the_pack_and_links_the_documents_it_names():
    context = DocumentContext(links={"POL-01": "pol-01-ai-policy.html"}, index="index.html",
                              previous=Neighbour("pol-01-ai-policy.html", "AI policy"),
                              next=Neighbour("pro-03.html", "Life cycle"))
    doc = make_doc(markdown="## Rules\n\nAs POL-01 says.\n\n### Detail\n\nText.\n\n"
                   "| A | B |\n|---|---|\n| 1 | 2 |\n")
    html = write_html(doc, Brand(), context).decode("utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert html.count('<a href="index.html">') == 2  # top and bottom
    assert '<a rel="prev" href="pol-01-ai-policy.html">' in html
    assert '<a class="next" rel="next" href="pro-03.html">Life cycle →</a>' in html
    assert '<nav class="contents"><h2>Contents</h2><ol><li><a href="#rules">Rules</a>' in html
    assert 'As <a href="pol-01-ai-policy.html">POL-01</a> says.' in html
    assert '<div class="table-wrap"><table>' in html
    assert '<html lang="en-GB">' in html


def test_index_carries_the_brand():
    html = write_index([make_doc()], {}, "Acme Ltd", brand=Brand(accent_colour="AA3300"))
    assert "#AA3300" in html.decode() and 'name="viewport"' in html.decode()


def test_every_page_of_a_built_pack_navigates_and_the_policy_links_its_documents(tmp_path):
    import re

    from helpers import copy_org

    from aimsdocs.cli import main

    org = copy_org(tmp_path)
    assert main(["build", str(org), "--out", str(tmp_path / "out"), "--format", "html"]) == 0
    folder = tmp_path / "out" / "meridian" / "html"
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 30
    for page_path in pages:
        html = page_path.read_text("utf-8")
        assert 'name="viewport"' in html, page_path.name
        if page_path.name != "index.html":
            assert '<a href="index.html">' in html, page_path.name
    policy = next(folder.glob("pol-01-*.html")).read_text("utf-8")
    targets = set(re.findall(r'<a href="([a-z0-9-]+\.html)">MFS-AIMS-', policy))
    assert {"man-01-aims-scope-and-context.html",
            "pln-02-ai-objectives-and-plans-to-achieve-them.html"} <= targets
    assert all((folder / target).is_file() for target in targets)
