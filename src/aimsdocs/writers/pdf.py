"""PDF through LibreOffice (headless): the DOCX we write, converted by a real office suite.

One `soffice` start converts every document of a pack (starting it is the slow part), so PDFs
are produced as a batch the first time any one of them is asked for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.render.document import Brand, RenderedDocument

TIMEOUT_SECONDS = 600


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_libreoffice() -> str:
    found = libreoffice()
    if not found:
        raise InputError(
            "--format pdf needs LibreOffice, which is not installed", field="--format",
            hint="install it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
                 "libreoffice-calc-nogui), or drop pdf from --format")
    return found


def convert_to_pdf(files: list[Path], out_dir: Path) -> None:
    """Convert office files to PDF in one LibreOffice run, with a private profile folder."""
    soffice = require_libreoffice()
    with tempfile.TemporaryDirectory(prefix="aimsdocs-lo-") as profile:
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir),
                   *map(str, files)]
        env = dict(os.environ, HOME=profile)
        try:
            result = subprocess.run(command, capture_output=True, text=True, env=env,
                                    timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise InputError("LibreOffice did not finish converting to PDF in time",
                             hint="try again; check that no other soffice process hangs") from None
    missing = [f.name for f in files if not (out_dir / (f.stem + ".pdf")).is_file()]
    if missing:
        raise InputError(f"LibreOffice did not convert {', '.join(missing)}",
                         hint=(result.stderr or result.stdout).strip()[-300:] or None)


class PdfBatch:
    """Writes every document's DOCX to a temporary folder and converts them together."""

    def __init__(self, documents: list[RenderedDocument], brand: Brand | None):
        self.documents = documents
        self.brand = brand
        self._pdfs: dict[str, bytes] | None = None

    def pdf(self, doc_id: str) -> bytes:
        if self._pdfs is None:
            self._pdfs = self._convert_all()
        return self._pdfs[doc_id]

    def _convert_all(self) -> dict[str, bytes]:
        from aimsdocs.writers.docx import write_docx

        with tempfile.TemporaryDirectory(prefix="aimsdocs-pdf-") as tmp:
            folder = Path(tmp)
            files = {}
            for index, doc in enumerate(self.documents):
                path = folder / f"doc{index:04d}.docx"
                path.write_bytes(write_docx(doc, self.brand))
                files[doc.doc_id] = path
            convert_to_pdf(list(files.values()), folder)
            return {doc_id: path.with_suffix(".pdf").read_bytes()
                    for doc_id, path in files.items()}
