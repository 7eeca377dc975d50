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
from aimsdocs.render.document import RenderedDocument

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


# Links between documents stay relative in the PDF, so a folder of PDFs navigates by itself.
WRITER_PDF = 'pdf:writer_pdf_Export:{"ExportLinksRelativeFsys":{"type":"boolean","value":"true"}}'


def convert_to_pdf(files: list[Path], out_dir: Path) -> None:
    """Convert office files to PDF, one LibreOffice run per kind, with a private profile."""
    documents = [f for f in files if f.suffix.lower() in (".docx", ".odt")]
    others = [f for f in files if f not in documents]
    for group, target in ((documents, WRITER_PDF), (others, "pdf")):
        if group:
            _convert(group, out_dir, target)


def _convert(files: list[Path], out_dir: Path, target: str) -> None:
    soffice = require_libreoffice()
    with tempfile.TemporaryDirectory(prefix="aimsdocs-lo-") as profile:
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                   "--norestore", "--convert-to", target, "--outdir", str(out_dir),
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


def write_all(docs: list[RenderedDocument], contexts: dict) -> dict[str, bytes]:
    """Every document's PDF (the registry's per-pack contract): DOCX written for LibreOffice,
    converted in one run. The contents list carries PAGEREF fields, which LibreOffice fills
    with page numbers while it lays out the pages; links to other documents point at their
    PDFs and stay relative."""
    from aimsdocs.writers.docx import write_docx

    with tempfile.TemporaryDirectory(prefix="aimsdocs-pdf-") as tmp:
        folder = Path(tmp)
        files = {}
        for index, doc in enumerate(docs):
            context = contexts[doc.doc_id]
            path = folder / f"doc{index:04d}.docx"
            path.write_bytes(write_docx(doc, context.brand, context.links, for_pdf=True))
            files[doc.doc_id] = path
        convert_to_pdf(list(files.values()), folder)
        return {doc_id: path.with_suffix(".pdf").read_bytes()
                for doc_id, path in files.items()}
