"""Rendering: Jinja2 templates -> Markdown plus document metadata."""
