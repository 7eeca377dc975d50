"""One module per group of CLI commands; each registers its sub-parsers."""

from __future__ import annotations

from aimsdocs.commands import check_cmds, isms_cmds, org_cmds, standards_cmds


def register_all(sub) -> None:
    standards_cmds.register(sub)
    org_cmds.register(sub)
    isms_cmds.register(sub)
    check_cmds.register(sub)
