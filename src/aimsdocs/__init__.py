"""aimsdocs: ISO/IEC 42001 AIMS documentation built on an existing ISO/IEC 27001 ISMS."""

__version__ = "0.1.0"
