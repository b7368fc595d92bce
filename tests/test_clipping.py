"""A fixed-size box (the alert card) never hides text silently: the render fails instead."""

from __future__ import annotations

import pytest

from leaflets.errors import BuildError
from leaflets.render.pdf import PdfRenderer
from leaflets.source.site_config import SiteConfig

PAGE = """<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>
<div class="lf-alert-card__face" style="height: 20mm; overflow: hidden; font-size: 12pt">{text}</div>
<span class="lf-visually-hidden" style="position: absolute; width: 1px; height: 1px; overflow: hidden">Hidden on purpose</span>
</body></html>"""


def render(tmp_path, text):
    return PdfRenderer([tmp_path], SiteConfig()).render_pdf(PAGE.format(text=text), tmp_path, "card (en)", "en")


def test_text_that_fits_renders(tmp_path):
    assert render(tmp_path, "Opioid painkillers may not work for me.").startswith(b"%PDF")


def test_text_cut_off_by_a_fixed_size_box_fails_the_render(tmp_path):
    long_text = " ".join(["Risk of overdose if I use opioids after stopping naltrexone."] * 12)
    with pytest.raises(BuildError) as error:
        render(tmp_path, long_text)
    assert error.value.lines()[0].startswith(
        "card (en): text does not fit in .lf-alert-card__face on page 1 and would be cut off: '"
    )
