"""Translation catalogs: extract our strings, update every catalog, check them, compile them.

python scripts/i18n.py extract   # a1dialer/locale/a1dialer.pot from the source
python scripts/i18n.py update    # add new strings to every catalog, drop removed ones
python scripts/i18n.py check     # what a translator still has to do (the tests run this)
python scripts/i18n.py compile   # .mo beside every .po (the packaged app ships these)
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "a1dialer"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "a1dialer"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# {name}, {0}, {n:,}; and %(name)s / %s / %d for the few printf-style strings.
_PLACEHOLDER = re.compile(r"\{[A-Za-z_0-9]*(?:[:!][^{}]*)?\}|%(?:\([a-z_]+\))?[sdifr]")


def extract() -> Catalog:
    """Every marked string of the package, with the translator comments beside them."""
    catalog = Catalog(project="A1 Dialer", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def languages() -> list[str]:
    from a1dialer.core.translation import LANGUAGES

    return [code for code in LANGUAGES if code != "en"]


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        # No line numbers: they would change with every edit of the code and bury the real
        # changes of a catalog in noise; the file names stay so translators see the context.
        write_po(file, catalog, width=100, omit_header=False, sort_output=True,
                 include_lineno=False, ignore_obsolete=True)  # fmt: skip


def update() -> None:
    template = extract()
    write_catalog(template, LOCALE_DIR / f"{DOMAIN}.pot")
    for language in languages():
        path = po_path(language)
        if path.is_file():
            catalog = read_catalog(language)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="A1 Dialer", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        write_catalog(catalog, path)


def _ids(message: Message) -> list[str]:
    """The English of an entry: its text, or its singular and plural."""
    return [message.id] if isinstance(message.id, str) else list(message.id)


def _key(message: Message) -> tuple[str, str | None]:
    """What identifies an entry across catalogs: its (singular) English and its context."""
    return _ids(message)[0], message.context


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def _forms(message: Message) -> list[str]:
    value = message.string
    return list(value) if isinstance(value, (list, tuple)) else [value or ""]


def problems(language: str, template: Catalog | None = None) -> Iterator[str]:
    """What is wrong with one catalog: missing, untranslated, fuzzy, obsolete, wrong plural
    forms or placeholders that differ from the English."""
    template = template or extract()
    path = po_path(language)
    if not path.is_file():
        yield f"{language}: no catalog at {path.relative_to(ROOT)}"
        return
    catalog = read_catalog(language)
    wanted = {_key(m) for m in template if m.id}
    for message in catalog:
        if not message.id:
            continue
        key = _key(message)
        label = f"{language}: {key[0]!r}"
        if key not in wanted:
            yield f"{label} is obsolete (no longer in the code)"
            continue
        if message.fuzzy:
            yield f"{label} is fuzzy"
        forms = _forms(message)
        if message.pluralizable and len(forms) != catalog.num_plurals:
            yield f"{label} has {len(forms)} plural forms, {language} needs {catalog.num_plurals}"
        if not all(form.strip() for form in forms):
            yield f"{label} is not translated"
            continue
        sources = _ids(message)
        expected = _placeholders(sources[-1])
        for form in forms:
            # A singular form may leave out {n} ("une fois"), never use another placeholder.
            got = _placeholders(form)
            if got != expected and not (message.pluralizable and set(got) < set(expected)):
                yield f"{label} has placeholders {got}, the English has {expected}"
    for message_id, _context in wanted - {_key(m) for m in catalog if m.id}:
        yield f"{language}: {message_id!r} is missing"
    if catalog.obsolete:
        yield f"{language}: {len(catalog.obsolete)} obsolete entries (#~) left in the file"


# Qt calls whose string arguments the rep reads.
QT_TEXT_CALLS = {
    "setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setStatusTip",
    "setWhatsThis", "setTitle", "setSubTitle", "setButtonText", "setLabelText", "setTabText",
    "addTab", "insertTab", "setHeaderLabels", "setHorizontalHeaderLabels", "showMessage",
    "setInformativeText", "setDetailedText", "setSpecialValueText", "setSuffix", "setPrefix",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton",
    "QCommandLinkButton", "information", "warning", "critical", "question", "about",
    "setAccessibleName", "setAccessibleDescription", "addRow", "addAction", "addMenu",
    "getOpenFileName", "getSaveFileName", "getExistingDirectory", "getText", "getItem",
}  # fmt: skip
# Errors whose first argument is the sentence the rep reads.
ERRORS = {"BadInput", "LocalProblem", "NetworkFailure", "OutcomeUnknown", "PbxRefused",
          "AuthRejected", "DialerError", "NotHttps", "UntrustedCertificate", "NoApiKey",
          "NotAvailable", "UnexpectedReply", "Cancelled"}  # fmt: skip
# Modules that never speak to the rep: the simulator (a developer tool with its own English
# output), the packaged app's self-check and the benchmark hooks.
EXEMPT = {"sim_http.py", "sim_cli.py", "sim_wire.py", "sim_audio.py", "simulator.py",
          "smoke_test.py"}  # fmt: skip


_FILE_NAME = re.compile(r"[\w.-]+\.[A-Za-z0-9]{2,4}")


def _has_words(text: str) -> bool:
    # The program's name before a message ("a1dialer: ...") and a file name ("call-history.csv")
    # are not words to translate.
    if _FILE_NAME.fullmatch(text):
        return False
    return any(character.isalpha() for character in text.replace("a1dialer", ""))


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and _has_words(str(part.value)) for part in node.values
        )
    return False


def _name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        owner = call.func.value
        if isinstance(owner, ast.Name) and owner.id in ("log", "logger", "logging", "warnings"):
            return ""  # the log is for support, in English
        return call.func.attr
    return ""


def unmarked(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    in_cli = path.parent.name == "cli"
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        arguments = list(node.args) + [k.value for k in node.keywords if k.arg in ("text", "title")]
        if name in QT_TEXT_CALLS or (name == "print" and in_cli):
            texts = [a for a in arguments if _is_text(a)]
        elif name in ERRORS:
            texts = [a for a in node.args[:1] if _is_text(a)]
        else:
            continue
        for text in texts:
            shown = ast.unparse(text)[:70]
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}({shown})")
    return found


def all_unmarked(paths: list[Path] | None = None) -> list[str]:
    """Every unmarked text in ``paths`` (default: the whole package)."""
    chosen = paths or sorted(PACKAGE.rglob("*.py"))
    return [line for path in chosen if path.name not in EXEMPT for line in unmarked(path)]


def todo(language: str) -> list[dict[str, object]]:
    """The entries of a catalog still to translate: id, plural, context, where and notes."""
    catalog = read_catalog(language)
    left: list[dict[str, object]] = []
    for message in catalog:
        if not message.id or (all(form.strip() for form in _forms(message)) and not message.fuzzy):
            continue
        ids = _ids(message)
        item: dict[str, object] = {"id": ids[0]}
        if len(ids) > 1:
            item["plural"] = ids[1]
            item["forms"] = catalog.num_plurals
        if message.context:
            item["context"] = message.context
        if message.auto_comments:
            item["note"] = " ".join(message.auto_comments)
        item["where"] = sorted({location for location, _line in message.locations})
        left.append(item)
    return left


def fill(language: str, entries: list[dict[str, object]]) -> int:
    """Put ``entries`` ({"id", "context"?, "str"} or {"id", "context"?, "forms": [...]}) in the
    catalog; return how many matched an entry of it."""
    catalog = read_catalog(language)
    filled = 0
    for entry in entries:
        message = catalog.get(entry["id"], context=entry.get("context"))  # type: ignore[arg-type]
        if message is None:
            print(f"not in the catalog: {entry['id']!r}", file=sys.stderr)
            continue
        forms = entry.get("forms")
        if message.pluralizable != isinstance(forms, list):
            # The English became (or stopped being) a plural since this was translated.
            print(f"plural forms expected or not: {entry['id']!r}, left out", file=sys.stderr)
            continue
        if isinstance(forms, list):
            message.string = tuple(str(form) for form in forms)
        else:
            message.string = str(entry["str"])
        message.flags.discard("fuzzy")
        filled += 1
    write_catalog(catalog, po_path(language))
    return filled


def compile_all() -> None:
    from a1dialer.core.translation import compile_catalog

    for language in languages():
        path = po_path(language)
        compile_catalog(path, path.with_suffix(".mo"))


def main(command: str) -> int:
    if command == "extract":
        write_catalog(extract(), LOCALE_DIR / f"{DOMAIN}.pot")
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "unmarked":
        files = [Path(name).resolve() for name in sys.argv[2:]]
        found = all_unmarked(files or None)
        print("\n".join(found))
        print(f"{len(found)} unmarked texts")
        return 1 if found else 0
    elif command == "todo":
        print(json.dumps(todo(sys.argv[2]), ensure_ascii=False, indent=1))
    elif command == "fill":
        with open(sys.argv[3], encoding="utf-8") as file:
            print(f"{fill(sys.argv[2], json.load(file))} entries filled")
    elif command == "check":
        template = extract()
        found = [problem for language in languages() for problem in problems(language, template)]
        for problem in found:
            print(problem)
        print(f"{len(template)} strings, {len(found)} problems")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
