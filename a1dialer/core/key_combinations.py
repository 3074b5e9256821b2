"""The global hotkey's key combination as the rep writes it ("Ctrl+Alt+D"), checked without Qt."""

from __future__ import annotations

DEFAULT_SHORTCUT = "Ctrl+Alt+D"

# Qt's modifier and key names (as in "Ctrl+Alt+D") to pynput's hotkey names.
_PYNPUT_NAMES = {
    "ctrl": "<ctrl>",
    "control": "<ctrl>",
    "alt": "<alt>",
    "shift": "<shift>",
    "meta": "<cmd>",
    "cmd": "<cmd>",
    "win": "<cmd>",
    "super": "<cmd>",
    "space": "<space>",
    "tab": "<tab>",
    "enter": "<enter>",
    "return": "<enter>",
    "insert": "<insert>",
    "home": "<home>",
    "end": "<end>",
    "pause": "<pause>",
}
_MODIFIERS = {"<ctrl>", "<alt>", "<shift>", "<cmd>"}


def pynput_hotkey(shortcut: str) -> str:
    """``shortcut`` ("Ctrl+Alt+D", "Ctrl+Shift+F9") in pynput's form ("<ctrl>+<alt>+d").

    Raises ValueError for a combination without a modifier (it would swallow a normal key) or
    with a key this module cannot name.
    """
    parts = [part.strip().lower() for part in shortcut.split("+")]
    if any(not part for part in parts):
        raise ValueError(f"{shortcut!r} is not a key combination such as {DEFAULT_SHORTCUT}.")
    names: list[str] = []
    for part in parts:
        if part in _PYNPUT_NAMES:
            names.append(_PYNPUT_NAMES[part])
        elif len(part) == 1 and part.isprintable():
            names.append(part)
        elif part[0] == "f" and part[1:].isdigit() and 1 <= int(part[1:]) <= 20:
            names.append(f"<{part}>")
        else:
            raise ValueError(f"{shortcut!r} uses a key A1 Dialer cannot listen for: {part!r}.")
    if not _MODIFIERS & set(names) or set(names) <= _MODIFIERS:
        raise ValueError(f"{shortcut!r} needs Ctrl, Alt or another modifier plus one key.")
    return "+".join(names)
