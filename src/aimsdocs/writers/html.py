"""HTML writer: one standalone, print-friendly page per document, and the pack's index.html.

The body is serialised from the same parsed tree as the DOCX, through an allowlist: every
text is escaped, only known tags and attributes pass, and links keep only web, mail and
relative targets. Profile text therefore can never inject markup or script.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from pathlib import Path
from xml.etree.ElementTree import Element

from aimsdocs.errors import InputError
from aimsdocs.render.document import Brand, RenderedDocument
from aimsdocs.writers.tree import (
    DEFAULT_ACCENT,
    REVISION_COLUMNS,
    accent_hex,
    control_rows,
    drop_leading_title,
    parse_markdown,
    revision_rows,
    safe_href,
    split_todo,
    text_of,
)

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "pre", "code", "blockquote", "hr", "br", "strong", "em", "b", "i",
    "del", "s", "sub", "sup", "a", "img", "div", "span",
}
VOID_TAGS = {"br", "hr", "img"}
PLAIN_ATTRIBUTES = {"id", "class", "title", "alt", "start"}
TEXT_ALIGN = {"text-align: left;", "text-align: center;", "text-align: right;"}

STYLESHEET = """
body { font-family: "Segoe UI", Calibri, Arial, sans-serif; line-height: 1.5; color: #222;
       max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4 { color: #ACCENT; line-height: 1.25; }
h1.title { border-bottom: 2px solid #ACCENT; padding-bottom: .3rem; }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #999; padding: .25rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #ACCENT; color: #fff; }
table.control th { background: #f2f2f2; color: #222; width: 12rem; }
pre { background: #f2f2f2; padding: .5rem; overflow-x: auto; }
code { font-family: Consolas, "Courier New", monospace; }
blockquote { border-left: 4px solid #ACCENT; margin-left: 0; padding-left: 1rem;
             font-style: italic; }
mark { background: #ff0; }
.page-header { display: flex; justify-content: space-between; align-items: center;
               font-size: .85rem; color: #555; border-bottom: 1px solid #ccc; }
.page-header img { max-height: 2.5rem; }
.page-footer { margin-top: 2rem; font-size: .85rem; color: #555; border-top: 1px solid #ccc; }
nav.pack-nav { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; font-size: .9rem;
               margin: .5rem 0; }
nav.pack-nav .next { margin-left: auto; }
nav.contents { background: #f7f7f7; border-left: 4px solid #ACCENT; padding: .25rem 1rem;
               margin: 1rem 0; }
nav.contents h2 { font-size: 1rem; margin: .5rem 0; }
nav.contents ol { margin: .25rem 0 .5rem; padding-left: 1.25rem; }
a { color: #0563C1; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; font-size: .95rem; }
  .page-header { flex-direction: column; align-items: flex-start; }
}
@media print {
  nav { display: none; }
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  a { color: inherit; }
  thead { display: table-header-group; }
  tr, pre, blockquote { break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
}
"""


def write_html(doc: RenderedDocument, brand: Brand | None = None, context=None) -> bytes:
    """The document as a standalone HTML5 page (UTF-8); `context` (writers.registry) gives the
    links to other documents, the index and the neighbouring pages."""
    brand = brand or Brand()
    control = doc.control
    links = context.links if context is not None else None
    root = drop_leading_title(parse_markdown(doc.markdown, links, control.doc_id), doc.title)
    nav = _pack_nav(context)
    body = [
        page_header(brand, control.organisation, f"{control.doc_id} · {control.title}"),
        nav,
        "<main>",
        f'<h1 class="title">{_text(control.title)}</h1>',
        _table("Document control", None, control_rows(control), css_class="control"),
        _revision_table(doc),
        _contents(root),
        "<article>",
        serialise_children(root),
        "</article>",
        "</main>",
        nav,
        f'<footer class="page-footer">{_text(control.organisation)} · Version '
        f"{_text(control.version)} · {_text(control.classification)}</footer>",
    ]
    title = f"{control.doc_id} {control.title} — {control.organisation}"
    return page(title, body, brand, control.language)


def write_document(doc: RenderedDocument, context) -> bytes:
    """The registry's contract (see writers/registry.py)."""
    return write_html(doc, context.brand, context)


def page_header(brand: Brand | None, organisation: str, label: str) -> str:
    """The pack's running header: logo, organisation, and what this page is."""
    brand = brand or Brand()
    logo = f'<img src="{_logo_data_uri(brand.logo)}" alt="">' if brand.logo else ""
    return (f'<header class="page-header">{logo}<span>{_text(organisation)}</span>'
            f"<span>{_text(label)}</span></header>")


def _pack_nav(context) -> str:
    """Index, previous and next: every page is one click from the rest of the pack."""
    if context is None or not context.index:
        return ""
    parts = [f'<a href="{escape(context.index)}">↑ Index of the pack</a>']
    if context.previous:
        parts.append(f'<a rel="prev" href="{escape(context.previous.href)}">← '
                     f"{_text(context.previous.title)}</a>")
    if context.next:
        parts.append(f'<a class="next" rel="next" href="{escape(context.next.href)}">'
                     f"{_text(context.next.title)} →</a>")
    return f'<nav class="pack-nav">{"".join(parts)}</nav>'


def _contents(root: Element) -> str:
    """A contents list of the sections (the top two heading levels), linked to their ids."""
    headings = [e for e in root.iter() if e.tag in ("h1", "h2", "h3", "h4") and e.get("id")]
    if not headings:
        return ""
    top = min(int(h.tag[1]) for h in headings)
    items = []
    for heading in headings:
        level = int(heading.tag[1]) - top
        if level > 1:
            continue
        css = ' class="sub"' if level else ""
        items.append(f'<li{css}><a href="#{escape(heading.get("id", ""))}">'
                     f"{_text(text_of(heading))}</a></li>")
    return f'<nav class="contents"><h2>Contents</h2><ol>{"".join(items)}</ol></nav>'


def write_index(docs: list[RenderedDocument], links: dict[str, str], organisation: str,
                extra_links: Sequence[tuple[str, str]] = (), brand: Brand | None = None) -> bytes:
    """The pack's index.html: every document with its 42001 coverage and a link to it."""
    brand = brand or Brand()
    rows = []
    for doc in docs:
        control = doc.control
        href = safe_href(links.get(control.doc_id))
        title = _text(control.title)
        if href:
            title = f'<a href="{escape(href)}">{title}</a>'
        cells = [_text(control.doc_id), title, _text(control.doc_type.capitalize()),
                 _text(control.version), _text(control.status),
                 _text(", ".join(control.addresses))]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    header = "".join(f"<th>{label}</th>" for label in
                     ("ID", "Title", "Type", "Version", "Status", "ISO/IEC 42001"))
    body = [
        page_header(brand, organisation, "AI management system"),
        "<main>",
        f'<h1 class="title">{_text(organisation)}: AI management system documents</h1>',
        f'<div class="table-wrap"><table><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>",
    ]
    extras = [(label, safe_href(href)) for label, href in extra_links]
    if extras:
        items = "".join(f'<li><a href="{escape(href)}">{_text(label)}</a></li>'
                        for label, href in extras if href)
        body.append(f"<h2>Also in this pack</h2><ul>{items}</ul>")
    body.append("</main>")
    language = docs[0].control.language if docs else "en-GB"
    return page(f"{organisation} — AI management system documents", body, brand, language)


def page(title: str, body: list[str], brand: Brand | None = None, language: str = "en-GB",
         extra_css: str = "", wide: bool = False) -> bytes:
    """A standalone page in the pack's look: stylesheet, accent colour, viewport."""
    accent = accent_hex((brand.accent_colour if brand else None) or DEFAULT_ACCENT)
    head = (f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n'
            '<meta charset="utf-8">\n'
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_text(title)}</title>\n"
            f"<style>{(STYLESHEET + extra_css).replace('ACCENT', accent)}</style>\n"
            + ('</head>\n<body class="wide">\n' if wide else "</head>\n<body>\n"))
    return (head + "\n".join(part for part in body if part) + "\n</body>\n</html>\n"
            ).encode("utf-8")


def _table(caption: str, header: tuple[str, ...] | None, rows: Sequence[tuple[str, ...]],
           css_class: str = "") -> str:
    """A data table; with no header, the first cell of each row is its label."""
    parts = ['<div class="table-wrap">',
             f'<table class="{css_class}">' if css_class else "<table>",
             f"<caption>{_text(caption)}</caption>"]
    if header:
        parts.append("<thead><tr>" + "".join(f"<th>{_text(h)}</th>" for h in header)
                     + "</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        cells = [f'<th scope="row">{_text(row[0])}</th>' if not header else
                 f"<td>{_text(row[0])}</td>"]
        cells += [f"<td>{_text(value)}</td>" for value in row[1:]]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def _revision_table(doc: RenderedDocument) -> str:
    rows = revision_rows(doc.control)
    if not rows:
        return "<p><strong>Revision history</strong>: no revisions recorded yet.</p>"
    return _table("Revision history", REVISION_COLUMNS, rows)


def _text(value: str) -> str:
    """Escaped text, with "[TO COMPLETE: …]" markers highlighted."""
    if "[" not in value:  # no marker (most text): nothing to split
        return escape(value, quote=False)
    return "".join(f"<mark>{escape(piece, quote=False)}</mark>" if is_todo
                   else escape(piece, quote=False) for piece, is_todo in split_todo(value))


def serialise_children(element: Element) -> str:
    """The element's content as HTML, through the tag and attribute allowlist."""
    out: list[str] = []
    _content(element, out)
    return "".join(out)


def _content(element: Element, out: list[str]) -> None:
    if element.text:
        out.append(_text(element.text))
    for child in element:
        _element(child, out)
        if child.tail:
            out.append(_text(child.tail))


def _element(element: Element, out: list[str]) -> None:
    tag = element.tag
    attributes = _attributes(element)
    if attributes is None or tag not in ALLOWED_TAGS:  # unsafe link or unknown tag: words only
        if tag != "img":
            _content(element, out)
        return
    if tag == "table":  # scrolls inside its wrapper on a narrow screen
        out.append('<div class="table-wrap">')
    out.append(f"<{tag}{attributes}>")
    if tag in VOID_TAGS:
        return
    _content(element, out)
    out.append(f"</{tag}>")
    if tag == "table":
        out.append("</div>")


def _attributes(element: Element) -> str | None:
    """Allowed attributes, escaped; None when a link or image target is unsafe."""
    if not element.attrib:
        return ""
    parts = []
    for name, value in sorted(element.attrib.items()):
        if name in ("href", "src"):
            safe = safe_href(value)
            if safe is None:
                return None
            value = safe
        elif name == "style":
            if value not in TEXT_ALIGN:
                continue
        elif name not in PLAIN_ATTRIBUTES:
            continue
        parts.append(f' {name}="{escape(value, quote=True)}"')
    return "".join(parts)


def _logo_data_uri(logo: Path) -> str:
    """The logo inlined, so the page stays a single self-contained file."""
    try:
        data = logo.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the logo: {exc.strerror}", file=logo,
                         hint="check the brand's logo path") from None
    if data.startswith(b"\x89PNG"):
        mime = "image/png"
    elif data.startswith(b"\xff\xd8"):
        mime = "image/jpeg"
    else:
        raise InputError("the logo is not a PNG or JPEG image", file=logo,
                         hint="export the logo as PNG")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
