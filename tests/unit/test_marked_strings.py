"""No user-visible text escapes translation: a literal handed to a Qt text API, raised as an
error the rep reads or printed by the command line must be marked (``_``, ``ngettext``...)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "a1dialer"
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
ERRORS = {"BadInput", "LocalProblem", "NetworkFailure", "OutcomeUnknown", "PbxRejected",
          "AuthFailed", "DialerError", "ServerProblem"}  # fmt: skip
# Modules that never speak to the rep: the simulator (a developer tool with its own English
# output), the packaged app's self-check and the benchmark hooks.
EXEMPT = {"sim_http.py", "sim_cli.py", "sim_wire.py", "sim_audio.py", "simulator.py",
          "smoke_test.py"}  # fmt: skip


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(character.isalpha() for character in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and any(c.isalpha() for c in str(part.value))
            for part in node.values
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
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {name}({shown})")
    return found


def test_every_text_the_rep_reads_is_marked_for_translation() -> None:
    found = [
        line
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name not in EXEMPT
        for line in unmarked(path)
    ]
    assert not found, f"{len(found)} unmarked texts:\n" + "\n".join(found)
