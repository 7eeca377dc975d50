"""Read an organisation's existing ISO/IEC 27001 ISMS: documents, SoA and what they cover."""

from aimsdocs.isms.inventory import load_isms
from aimsdocs.isms.model import (
    CoverageClaim,
    IsmsDocument,
    IsmsInventory,
    IsmsSection,
    Provenance,
    SoaEntry,
)

__all__ = [
    "CoverageClaim",
    "IsmsDocument",
    "IsmsInventory",
    "IsmsSection",
    "Provenance",
    "SoaEntry",
    "load_isms",
]
