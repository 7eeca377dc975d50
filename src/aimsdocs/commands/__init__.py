"""One module per group of CLI commands; each registers its sub-parsers."""

from __future__ import annotations


def register_all(sub) -> None:
    from aimsdocs.commands import standards_cmds

    standards_cmds.register(sub)
    try:
        from aimsdocs.commands import org_cmds
    except ImportError:  # pragma: no cover - during bootstrap only
        return
    org_cmds.register(sub)
