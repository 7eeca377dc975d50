"""Standards: the ISO/IEC 42001, 27001 and 9001 catalogues and the crosswalk between them."""

from aimsdocs.standards.catalogue import Catalogue, DocumentedInformation, Requirement
from aimsdocs.standards.crosswalk import RELATIONSHIPS, Crosswalk, Link
from aimsdocs.standards.loader import STANDARD_NAMES, Standards, load_standards

__all__ = [
    "RELATIONSHIPS",
    "STANDARD_NAMES",
    "Catalogue",
    "Crosswalk",
    "DocumentedInformation",
    "Link",
    "Requirement",
    "Standards",
    "load_standards",
]
