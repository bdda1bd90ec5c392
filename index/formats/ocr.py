"""OCR for scanned PDF pages: pages rendered with pypdfium2 (Apache-2.0/BSD), read by tesseract (chi_sim).

Used only when GONGBAO_OCR=tesseract; the caller (the PDF reader) passes the engine down, so this layer never
reads settings. Tesseract puts spaces between Chinese characters; they are removed, Latin words keep theirs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from index.formats import FormatError

DPI = 300
LANG = "chi_sim"
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def tesseract_available(lang: str = LANG) -> bool:
    """Whether the tesseract binary and its language data (chi_sim) are installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False)
    return lang in (listed.stdout + listed.stderr).split()


def ocr_pdf_pages(data: bytes, pages: list[int], name: str) -> dict[int, list[str]]:
    """The text lines of the given (0-based) PDF pages, read by OCR."""
    import pypdfium2

    if not tesseract_available():
        raise FormatError(
            name,
            "no_text",
            f"the PDF is a scan and GONGBAO_OCR=tesseract is set, but tesseract with {LANG} is not installed",
        )
    pdf = pypdfium2.PdfDocument(data)
    out: dict[int, list[str]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="gongbao-ocr-") as tmp:
            for no in pages:
                image = pdf[no].render(scale=DPI / 72).to_pil()
                path = Path(tmp) / f"page-{no}.png"
                image.save(path)
                out[no] = ocr_image(path)
    finally:
        pdf.close()
    return out


def ocr_image(path: Path, lang: str = LANG) -> list[str]:
    """Tesseract's text lines for one image, spaces between Chinese characters removed."""
    done = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", lang, "--psm", "6"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise FormatError(path.name, "unreadable", f"tesseract failed: {done.stderr.strip()[:200]}")
    lines = (_CJK_GAP.sub("", ln).strip() for ln in done.stdout.splitlines())
    return [ln for ln in lines if ln]
