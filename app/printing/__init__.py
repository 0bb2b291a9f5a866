"""PDF rendering of official forms with WeasyPrint and the bundled font.

WeasyPrint finds fonts through fontconfig, which reads FONTCONFIG_FILE once,
when Pango loads; so the variable is set here, before WeasyPrint is first
imported, and WeasyPrint is imported lazily so that start-up stays quick.
"""

from __future__ import annotations

import os
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Liberation Serif"

os.environ["FONTCONFIG_FILE"] = str(FONTS_DIR / "fonts.conf")
