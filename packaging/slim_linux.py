"""Linux-only slimming of the PyInstaller bundle, used by ``a1dialer.spec``.

Three things PyInstaller cannot do by filtering its lists, each checked against what the loader
really needs (``readelf``) and done into copies under the build folder, never to the venv:

* **Stand-ins for Qt Quick and Qt Qml.** Qt's FFmpeg media plugin lists ``libQt6Quick`` and
  ``libQt6Qml`` as NEEDED (with BIND_NOW), so the loader must find them, and Quick pulls in
  QmlModels, QmlMeta and QmlWorkerScript: ~16.5 MB. The plugin imports two Quick symbols
  (``QQuickWindow::grabWindow`` and ``staticMetaObject``, for screen capture of QML windows) and
  none from Qml. A stand-in library with the same soname and symbol versions defines exactly the
  symbols the bundle imports from the real one: objects are zero-filled, functions print which one
  was called and abort. ``qobject_cast<QQuickWindow *>`` only compares addresses, so on a
  Widgets-only app (no QQuickWindow can exist) those functions are never reached.
* **A smaller ICU data library.** ``libQt6Core`` links ICU, so ``libicudata`` (32 MB) must load,
  but Qt only calls ICU for collation, time-zone names, case mapping and named text codecs. The
  ICU data package is rebuilt without the trees no Qt call reaches (see ``ICU_DROPPED``).
* **Symbol tables.** ``strip --strip-unneeded`` on the libraries that still carry ``.symtab`` or
  debug info (cryptography's Rust extension, libpython, ICU; a pyenv Python's debug info):
  ~5.5 MB the loader never reads. Only those: Qt's FFmpeg libraries come stripped, and running
  ``strip`` over them anyway (PyInstaller's ``strip=True``) leaves them unloadable ("ELF load
  command address/offset not page-aligned").

Every step needs ``readelf`` and ``strip`` (binutils) and a C compiler (``cc``); without them the
spec says so and keeps the full libraries, so a build still works, only bigger.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# Qt libraries replaced by stand-ins (see the module docstring), by file name.
STUBBED_QT_LIBRARIES = ("libQt6Quick.so.6", "libQt6Qml.so.6")

# ICU data items no Qt call reaches. Qt Core calls ICU for: collation (ucol_*: the coll/ tree),
# time-zone ids and display names (ucal_*: zone/, zoneinfo64, metaZones, timezoneTypes), case
# mapping (u_strTo*: built into libicuuc) and codecs by name (ucnv_*: cnvalias.icu and *.cnv).
# These trees serve ICU's own formatting and text APIs, which Qt does not use (it carries its own
# CLDR tables for QLocale): break iteration, currency/language/region/unit names, spelled-out
# numbers, transliteration, IDNA/stringprep profiles and the spoof checker.
ICU_DROPPED_TREES = ("brkitr/", "curr/", "lang/", "region/", "unit/", "rbnf/", "translit/")
ICU_DROPPED_SUFFIXES = (".spp", ".cfu")
# Converter tables (*.cnv, 5 MB) serve QStringDecoder/QStringEncoder for legacy encodings asked
# for by name; the app never asks Qt to convert text (Python decodes everything it reads), and
# UTF-8/16/32, Latin-1 and US-ASCII are built into libicuuc. cnvalias.icu stays, so Qt still
# finds those by any of their names.
ICU_DROPPED_SUFFIXES += (".cnv",)
# Time-zone display names (QTimeZone::displayName, which the app never calls) stay for English,
# the app's language; for other locales ICU falls back to root ("GMT+01:00").
_ICU_ZONE_KEPT = re.compile(r"zone/(?:root|pool|res_index|tzdbNames|en(?:_[A-Za-z0-9]+)*)\.res")
# Top-level locale bundles (de.res, en_US_POSIX.res, ...): number and date formats for ICU's
# formatters. A missing locale falls back to root.res, which stays, as do the shared pool.res,
# res_index.res and the supplemental tables (likelySubtags.res, supplementalData.res, ...).
_ICU_LOCALE_BUNDLE = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]+)*\.res")
ICU_KEPT_TOP_LEVEL = frozenset({"root.res", "pool.res", "res_index.res"})

_ALIGN = 16  # ICU aligns every item of a common-data package to 16 bytes


def icu_item_dropped(name: str) -> bool:
    """Whether the ICU data item ``name`` (without the ``icudtNNl/`` prefix) goes."""
    if name.startswith(ICU_DROPPED_TREES) or name.endswith(ICU_DROPPED_SUFFIXES):
        return True
    if name.startswith("zone/"):
        return _ICU_ZONE_KEPT.fullmatch(name) is None
    return (
        "/" not in name
        and name not in ICU_KEPT_TOP_LEVEL
        and _ICU_LOCALE_BUNDLE.fullmatch(name) is not None
    )


@dataclass(frozen=True)
class Symbol:
    name: str
    version: str  # "" when unversioned
    kind: str  # FUNC, OBJECT, ...
    size: int
    defined: bool


def tools_missing() -> list[str]:
    """The tools this module needs that are not on PATH."""
    return [tool for tool in ("readelf", "strip", "cc") if shutil.which(tool) is None]


def _readelf(*args: str) -> str:
    done = subprocess.run(["readelf", "-W", *args], capture_output=True, text=True, check=True)
    return done.stdout


def needed(path: Path | str) -> list[str]:
    """The DT_NEEDED entries of the ELF file ``path``."""
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf("-d", str(path)))


def has_symbol_table(path: Path | str) -> bool:
    """Whether ``path`` carries a symbol table or debug info (what ``strip`` would remove)."""
    return bool(re.search(r"\]\s+\.(?:symtab|debug_\w+)\s", _readelf("-S", str(path))))


def dynamic_symbols(path: Path | str) -> list[Symbol]:
    """The dynamic symbol table of ``path``: names with their version, kind, size."""
    symbols = []
    for line in _readelf("--dyn-syms", str(path)).splitlines():
        fields = line.split()
        if len(fields) < 8 or not fields[0].rstrip(":").isdigit() or fields[0] == "0:":
            continue
        name, _sep, version = fields[7].replace("@@", "@").partition("@")
        size = int(fields[2], 16) if fields[2].startswith("0x") else int(fields[2])
        symbols.append(Symbol(name, version, fields[3], size, fields[6] != "UND"))
    return symbols


def version_needs(path: Path | str) -> dict[str, set[str]]:
    """Per needed library file name, the symbol versions ``path`` requires from it."""
    needs: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in _readelf("-V", str(path)).splitlines():
        file_match = re.search(r"Version: \d+\s+File: (\S+)", line)
        if file_match:
            current = needs.setdefault(file_match.group(1), set())
            continue
        name_match = re.search(r"Name: (\S+)\s+Flags", line)
        if name_match and current is not None:
            current.add(name_match.group(1))
    return needs


def _compile_shared(source: Path, target: Path, soname: str, extra: Iterable[str] = ()) -> None:
    subprocess.run(
        [
            "cc",
            "-shared",
            "-fPIC",
            "-O1",
            "-s",
            "-o",
            str(target),
            f"-Wl,-soname,{soname}",
            "-Wl,-z,noexecstack",
            *extra,
            str(source),
        ],
        check=True,
    )


def make_stub_library(
    real: Path, importers: Iterable[Path], out_dir: Path
) -> tuple[Path, list[str]]:
    """Build a stand-in for ``real`` defining the symbols ``importers`` take from it.

    Returns the stand-in's path and the symbols it defines (the spec prints them, so a Qt update
    that makes the plugin use more of Qt Quick shows in the build log). Every symbol version the
    importers require from ``real`` is defined, so the loader's version check passes.
    """
    soname = real.name
    provided = {s.name: s for s in dynamic_symbols(real) if s.defined}
    wanted: dict[str, Symbol] = {}
    versions: set[str] = set()
    for importer in importers:
        versions |= version_needs(importer).get(soname, set())
        for symbol in dynamic_symbols(importer):
            if not symbol.defined and symbol.name in provided:
                wanted[symbol.name] = provided[symbol.name]
    versions |= {s.version for s in wanted.values() if s.version}

    lines = [
        f"/* Stand-in for {soname}, generated by packaging/slim_linux.py. */",
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "__attribute__((noreturn)) static void stub_called(const char *n)",
        "{",
        f'    fprintf(stderr, "a1dialer: %s from {soname} is not in this build\\n", n);',
        "    abort();",
        "}",
    ]
    for name, symbol in sorted(wanted.items()):
        if symbol.kind == "OBJECT":
            size = max(symbol.size, 1)
            lines.append(f"__attribute__((aligned(16))) char {name}[{size}];")
        else:
            lines.append(f'void {name}(void) {{ stub_called("{name}"); }}')
    by_version: dict[str, list[str]] = {version: [] for version in sorted(versions)}
    unversioned = [name for name, s in wanted.items() if not s.version]
    for name, symbol in wanted.items():
        if symbol.version:
            by_version[symbol.version].append(name)
    # One node per version; unversioned names (none in Qt) go into the first or an anonymous one.
    script = []
    nodes = list(by_version.items()) or [("", [])]
    for index, (version, names) in enumerate(nodes):
        exported = sorted(names) + (sorted(unversioned) if index == 0 else [])
        listed = f"global: {' '.join(f'{name};' for name in exported)} " if exported else ""
        script.append(f"{version} {{ {listed}local: *; }};".lstrip())

    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / f"{soname}.c"
    version_script = out_dir / f"{soname}.map"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    version_script.write_text("\n".join(script) + "\n", encoding="utf-8")
    target = out_dir / soname
    _compile_shared(source, target, soname, [f"-Wl,--version-script={version_script}"])
    return target, sorted(wanted)


def _file_offset(data: bytes, vaddr: int) -> int:
    """The file offset of virtual address ``vaddr`` in the ELF64 image ``data``."""
    phoff = struct.unpack_from("<Q", data, 0x20)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for index in range(phnum):
        p_type, _flags, offset, p_vaddr, _paddr, filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + index * phentsize
        )
        if p_type == 1 and p_vaddr <= vaddr < p_vaddr + filesz:  # PT_LOAD
            return offset + (vaddr - p_vaddr)
    raise ValueError(f"address {vaddr:#x} is in no loadable segment")


def icu_common_data(library: Path) -> tuple[str, bytes]:
    """(symbol name, bytes) of the ICU common-data package built into ``library``."""
    data = library.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{library.name} is not a little-endian 64-bit ELF file")
    for line in _readelf("--dyn-syms", str(library)).splitlines():
        match = re.search(r":\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT.*\s(icudt\d+_dat)$", line)
        if match:
            size_text = match.group(2)
            size = int(size_text, 16) if size_text.startswith("0x") else int(size_text)
            start = _file_offset(data, int(match.group(1), 16))
            return match.group(3), data[start : start + size]
    raise ValueError(f"no icudtNN_dat symbol in {library.name}")


def filter_icu_package(package: bytes, dropped: Callable[[str], bool]) -> tuple[bytes, int, int]:
    """``package`` (ICU common data, ``CmnD``) without the items ``dropped(name)`` selects.

    Returns (new package, items kept, items dropped). Item order (sorted by name, which ICU's
    binary search relies on) and each item's bytes stay as they were.
    """
    header_size = struct.unpack_from("<H", package, 0)[0]
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD" or package[8] != 0:
        raise ValueError("not a little-endian ICU common-data package")
    count = struct.unpack_from("<I", package, header_size)[0]
    entries = [
        struct.unpack_from("<II", package, header_size + 4 + 8 * index) for index in range(count)
    ]
    starts = [*sorted(offset for _name, offset in entries), len(package) - header_size]
    ends = {start: starts[index + 1] for index, start in enumerate(starts[:-1])}
    items = []
    for name_offset, data_offset in entries:
        name_start = header_size + name_offset
        name = package[name_start : package.index(b"\0", name_start)].decode("ascii")
        body = package[header_size + data_offset : header_size + ends[data_offset]]
        items.append((name, body))
    prefix = items[0][0].split("/", 1)[0] + "/" if items else ""
    kept = [(n, b) for n, b in items if not dropped(n.removeprefix(prefix))]

    names = b"".join(n.encode("ascii") + b"\0" for n, _b in kept)
    toc_size = 4 + 8 * len(kept)
    data_start = _aligned(toc_size + len(names))
    name_offsets, data_offsets = [], []
    position = toc_size
    for name, _body in kept:
        name_offsets.append(position)
        position += len(name) + 1
    position = data_start
    for _name, body in kept:
        data_offsets.append(position)
        position = _aligned(position + len(body))
    out = bytearray(package[:header_size])
    out += struct.pack("<I", len(kept))
    for name_offset, data_offset in zip(name_offsets, data_offsets, strict=True):
        out += struct.pack("<II", name_offset, data_offset)
    out += names
    for (_name, body), data_offset in zip(kept, data_offsets, strict=True):
        out += b"\0" * (header_size + data_offset - len(out))
        out += body
    out += b"\0" * (header_size + _aligned(len(out) - header_size) - len(out))
    return bytes(out), len(kept), len(items) - len(kept)


def _aligned(offset: int) -> int:
    return (offset + _ALIGN - 1) // _ALIGN * _ALIGN


def make_icu_data_library(real: Path, out_dir: Path) -> tuple[Path, int, int]:
    """Rebuild ``real`` (libicudataNN) without the dropped items; (path, kept, dropped)."""
    symbol, package = icu_common_data(real)
    slim, kept, dropped = filter_icu_package(package, icu_item_dropped)
    out_dir.mkdir(parents=True, exist_ok=True)
    blob = out_dir / f"{symbol}.dat"
    blob.write_bytes(slim)
    source = out_dir / f"{real.name}.S"
    source.write_text(
        "\n".join(
            [
                "/* ICU common data, trimmed by packaging/slim_linux.py */",
                '.section .rodata, "a"',
                f".globl {symbol}",
                f".type {symbol}, @object",
                ".balign 16",
                f"{symbol}:",
                f'.incbin "{blob}"',
                f".size {symbol}, . - {symbol}",
                '.section .note.GNU-stack, "", @progbits',
                "",
            ]
        ),
        encoding="utf-8",
    )
    target = out_dir / real.name
    _compile_shared(source, target, real.name, ["-nostdlib"])
    return target, kept, dropped


def strip_symbol_table(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` without its symbol table; False if it had none."""
    if not has_symbol_table(source):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["strip", "--strip-unneeded", "-o", str(target), str(source)], check=True)
    return True
