"""Pinned numbers ("favorites") the rep calls often, kept in the profile as favorites.json."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.numbers import digits_only
from a1dialer.core.paths import profile_dir
from a1dialer.core.translation import _

FILE_VERSION = 1


@dataclass(frozen=True)
class Favorite:
    """One pinned number and the name the rep gave it."""

    number: str
    name: str = ""

    def label(self) -> str:
        """How menus show it: "Name - number", or the number alone."""
        return f"{self.name} \N{EM DASH} {self.number}" if self.name else self.number


def favorites_file() -> Path:
    return profile_dir() / "favorites.json"


class Favorites:
    """The pinned numbers, in the order the rep pinned them. Every change is written at once."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or favorites_file()

    def pinned(self) -> list[Favorite]:
        """The pinned numbers; none when nothing was pinned yet."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise self._problem(
                _(
                    "The pinned numbers file {path} could not be read; check the profile "
                    "folder, or delete the file to start a new list."
                )
            ) from exc
        try:
            data = json.loads(text)
            return [
                Favorite(str(item["number"]), str(item.get("name", ""))) for item in data["pinned"]
            ]
        except (ValueError, TypeError, KeyError) as exc:
            raise self._problem(
                _(
                    "The pinned numbers file {path} is damaged; check the profile folder, or "
                    "delete the file to start a new list."
                )
            ) from exc

    def pin(self, number: str, name: str = "") -> Favorite:
        """Pin ``number`` (or rename it when it is pinned already); returns what was stored."""
        number, name = number.strip(), name.strip()
        if not digits_only(number):
            if number:
                raise BadInput(_("{number} has no phone number to pin.").format(number=number))
            raise BadInput(_("An empty entry has no phone number to pin."))
        favorite = Favorite(number, name)
        pinned = self.pinned()
        for index, existing in enumerate(pinned):
            if same_number(existing.number, number):
                pinned[index] = favorite
                break
        else:
            pinned.append(favorite)
        self._write(pinned)
        return favorite

    def unpin(self, number: str) -> bool:
        """Forget ``number``; False when it was not pinned."""
        pinned = self.pinned()
        kept = [favorite for favorite in pinned if not same_number(favorite.number, number)]
        if len(kept) == len(pinned):
            return False
        self._write(kept)
        return True

    def is_pinned(self, number: str) -> bool:
        return any(same_number(favorite.number, number) for favorite in self.pinned())

    def _write(self, pinned: list[Favorite]) -> None:
        data = {"version": FILE_VERSION, "pinned": [asdict(favorite) for favorite in pinned]}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside the file and renamed over it, so a crash never leaves half a list.
            handle, partial = tempfile.mkstemp(prefix=".favorites-", dir=self.path.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(partial, self.path)
            except BaseException:
                Path(partial).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise self._problem(
                _(
                    "The pinned numbers file {path} could not be saved; check the profile "
                    "folder, or delete the file to start a new list."
                )
            ) from exc

    def _problem(self, sentence: str) -> LocalProblem:
        """``sentence`` (with a ``{path}`` placeholder) about this file."""
        return LocalProblem(sentence.format(path=self.path))


def same_number(a: str, b: str) -> bool:
    """Whether two spellings of a number are one pin."""
    # "+1 (208) 555-1234" and "+12085551234" are one pin; a leading + keeps 1-208... distinct
    # from 208... typed without the country code.
    return (a.strip().startswith("+"), digits_only(a)) == (
        b.strip().startswith("+"),
        digits_only(b),
    )
