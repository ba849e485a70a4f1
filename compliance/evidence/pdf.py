"""report.pdf: the report's HTML rendered by WeasyPrint, paginated, with a table of contents (page numbers
from target-counter) and PDF bookmarks from the headings.

Speed: WeasyPrint is imported lazily (about 0.6 s). Subsetting DejaVu Sans (~700 KB, large layout tables)
with fontTools took most of the PDF time, so the PDF embeds its own small fonts: DejaVu Sans Condensed
cut to Latin-1 and punctuation, without layout tables, made once per process (~0.2 s) and given to
WeasyPrint as data: URLs. Without DejaVu on the machine, the system's sans-serif is used.

Overlap: `Renderer` starts a worker process that imports WeasyPrint and prepares the fonts while the
caller scans, then renders there; on two cores that hides most of the ~0.8 s of set-up.

Reproducibility: WeasyPrint writes no /ID unless asked and takes /CreationDate from the HTML's
dcterms.created (our generated_at). The one clock it reads is fontTools' timestamp in subsetted fonts,
and fontTools honours SOURCE_DATE_EPOCH; our own subsets keep the source font's timestamp. So with
SOURCE_DATE_EPOCH fixed, the same HTML gives a byte-identical PDF.
"""

from __future__ import annotations

import base64
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path
from types import TracebackType

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILY = "Evidence Sans"
FACES = (("DejaVuSansCondensed.ttf", "normal"), ("DejaVuSansCondensed-Bold.ttf", "bold"))
# Latin-1, dashes, quotes, bullet, ellipsis, arrows, comparison signs.
UNICODES = (
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    *(0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x2190, 0x2192, 0x2264, 0x2265),
)


def render_pdf(html: str) -> bytes:
    """The PDF bytes for a self-contained HTML document; any URL but our fonts' data: URLs is refused."""
    import weasyprint  # slow import: only when a PDF is wanted

    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    document = weasyprint.HTML(string=_with_fonts(html), url_fetcher=fetcher, base_url=None)
    pdf: bytes = document.write_pdf(pdf_identifier=False)
    return pdf


def _with_fonts(html: str) -> str:
    css = font_css()
    if not css:
        return html
    style = f"<style>{css} html, body, svg, text {{ font-family: '{FAMILY}', sans-serif; }}</style>"
    return html.replace("</head>", style + "</head>", 1)


@cache
def font_css() -> str:
    """@font-face rules with the evidence fonts as data: URLs; "" when DejaVu is not installed."""
    rules = []
    for file, weight in FACES:
        path = FONT_DIR / file
        if not path.is_file():
            return ""
        data = base64.b64encode(_latin_subset(path)).decode()
        rules.append(
            f"@font-face {{ font-family: '{FAMILY}'; font-weight: {weight}; "
            f"src: url(data:font/ttf;base64,{data}); }}"
        )
    return " ".join(rules)


def _latin_subset(path: Path) -> bytes:
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    options.hinting = False
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    font = TTFont(path, recalcTimestamp=False)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class Renderer:
    """Renders PDFs in one worker process, warmed up (WeasyPrint imported, fonts made) as soon as it is
    created, so the set-up runs while the caller does other work. Use as a context manager."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self._pool.submit(_warm_up)

    def render(self, html: str) -> bytes:
        return self._pool.submit(render_pdf, html).result()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._pool.shutdown(cancel_futures=True)


def _warm_up() -> None:
    import weasyprint  # noqa: F401 - the import is the warm-up

    font_css()
