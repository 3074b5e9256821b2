"""No user-visible text escapes translation: a literal handed to a Qt text API, raised as an
error the rep reads or printed by the command line must be marked (``_``, ``ngettext``...)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_text_the_rep_reads_is_marked_for_translation() -> None:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None
    assert spec.loader is not None
    i18n = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = i18n
    spec.loader.exec_module(i18n)
    found = i18n.all_unmarked()
    assert not found, f"{len(found)} unmarked texts:\n" + "\n".join(found)
