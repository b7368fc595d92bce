"""Minimal reproduction of WeasyPrint's ToUnicode defect with Arabic marks (Kozea/WeasyPrint#2841).

Run: .venv/bin/python docs/upstream/weasyprint_tounicode_repro.py
Needs WeasyPrint, pikepdf, poppler-utils and the Noto Naskh Arabic font (fonts-noto-core).

WeasyPrint gives a glyph the text of the first cluster it is drawn in, for the
whole document (a right-to-left line is drawn from the left, so its last word
first). In "مفاجئًا" the medial ئ and the tanwin (ً) form one cluster:
the tanwin's glyph gets "ئً", the medial ئ's glyph gets nothing. Every later
tanwin then carries a ئ: "علاجًا" ("treatment") extracts as "علاجئًا", and the
ئ of "مفاجئًا" ("sudden") is lost. Prints the ToUnicode entries and what
pdftotext reads; exits 1 while the defect is there, 0 once it is fixed.
"""

import io
import re
import subprocess
import sys
import tempfile

import pikepdf
import weasyprint

TEXT = "علاجًا مفاجئًا"  # drawn from the left: "مفاجئًا" first
HTML = f'<html lang="ar" dir="rtl"><p style="font: 20pt \'Noto Naskh Arabic\'">{TEXT}</p></html>'


def main() -> int:
    data = weasyprint.HTML(string=HTML).write_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        cmap = font.ToUnicode.read_bytes()
    entries = {
        glyph.decode(): bytes.fromhex(text.decode()).decode("utf-16-be")
        for glyph, text in re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]*)>", cmap)
    }
    empty = [glyph for glyph, text in entries.items() if not text]
    clustered = {glyph: text for glyph, text in entries.items() if len(text) > 1}
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        extracted = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, text=True).stdout
    print(f"WeasyPrint {weasyprint.__version__}; drawn: {TEXT}")
    print(f"glyphs mapped to nothing: {empty}")
    print(f"glyphs mapped to a whole cluster: {clustered}")
    print(f"pdftotext reads: {extracted.strip()!r}")
    return 1 if empty or any(len(text) > 1 for text in clustered.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
