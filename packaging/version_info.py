"""The Windows version resource (file properties "Details" tab), generated from ``__version__``.

Written as the text form PyInstaller's ``EXE(version=...)`` loads, so this module imports nothing
Windows-only and the spec works on every OS (the resource is used on Windows only).
"""

from __future__ import annotations

import re
from pathlib import Path

COMPANY = "A1 Dialer"
DESCRIPTION = "A1 Dialer - click-to-call for A1PBX"
PRODUCT = "A1 Dialer"
EXE_NAME = "a1dialer.exe"


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` / ``1.2.3rc1`` as the four numbers Windows wants (pre-release tags dropped)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:4]]
    padded = (*numbers, 0, 0, 0, 0)[:4]
    return padded[0], padded[1], padded[2], padded[3]


def version_info_text(version: str) -> str:
    """The ``VSVersionInfo(...)`` expression for ``version``."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": "a1dialer",
        "LegalCopyright": f"(c) {COMPANY}",
        "OriginalFilename": EXE_NAME,
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    string_structs = ",\n            ".join(
        f"StringStruct({name!r}, {value!r})" for name, value in strings.items()
    )
    # 0x040904B0: US English, Unicode; 0x4: VOS_NT_WINDOWS32; 0x1: VFT_APP.
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x4,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
            {string_structs}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def write_version_info(path: Path, version: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_info_text(version), encoding="utf-8")
    return path
