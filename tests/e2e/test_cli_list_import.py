"""``a1dialer lists import`` and ``lists`` through the real command line, as an admin scripts it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest

from tests.e2e.conftest import run_cli

# Each test runs the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

LEADS = (
    "Name;Telefon;Handy;Firma\n"
    "Jörg;;0151 23456789;Müller GmbH\n"  # only a Handy (German mobile)
    "Anna;030 1234567;0151 99999999;Acme\n"  # both: the Telefon is dialled, both kept
    "Olaf;030 7654321;;Initech\n"  # on the do-not-call list
    "Kai;;;Hooli\n"  # nothing to dial
    "Udo;123;;Umbrella\n"  # cut off
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env["A1DIALER_HOME"] = str(tmp_path / "profile")
    env["A1DIALER_DEFAULTS"] = str(tmp_path / "no-defaults.toml")
    done = run_cli(env, "configure", "--country", "DE")
    assert done.returncode == 0, done.stderr
    blocked = run_cli(env, "dnc", "add", "030 7654321")
    assert blocked.returncode == 0, blocked.stderr
    return env


def leads(tmp_path: Path) -> Path:
    path = tmp_path / "Kunden_Nord.csv"
    path.write_bytes(LEADS.encode("cp1252"))
    return path


def test_import_prints_imported_rejected_and_do_not_call(
    env: dict[str, str], tmp_path: Path
) -> None:
    done = run_cli(env, "lists", "import", str(leads(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Imported 3 numbers as list 1 (Kunden Nord).",
        "1 imported number is on the do-not-call list; it will never be dialled.",
        "2 rows could not be used (listed above with their lines and reasons).",
    ]
    assert done.stderr.splitlines() == [
        "line 5: Kai;;;Hooli: Every phone column is empty in this row.",
        "line 6: Udo;123;;Umbrella: 123 is too short for a phone number; check the digits.",
    ]
    listed = run_cli(env, "lists")
    assert listed.stdout.splitlines() == ["   1  Kunden Nord  0 of 3 called, 2 left"]


def test_import_json_is_one_object_and_lists_json_one_per_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    done = run_cli(env, "lists", "import", str(leads(tmp_path)), "--name", "Nord", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout) == {
        "list_id": 1,
        "name": "Nord",
        "imported": 3,
        "do_not_call": 1,
        "rejected": [
            {"line": 5, "reason": "Every phone column is empty in this row."},
            {"line": 6, "reason": "123 is too short for a phone number; check the digits."},
        ],
        "rejected_count": 2,
    }
    second = run_cli(env, "lists", "import", str(leads(tmp_path)), "--json")
    assert json.loads(second.stdout)["list_id"] == 2
    rows = [json.loads(line) for line in run_cli(env, "lists", "--json").stdout.splitlines()]
    # The do-not-call row is never dialled: counted apart, not left to call.
    assert [(r["id"], r["name"], r["total"], r["do_not_call"], r["left"]) for r in rows] == [
        (2, "Kunden Nord", 3, 1, 2), (1, "Nord", 3, 1, 2),
    ]  # fmt: skip
    assert set(rows[0]) == {
        "id", "name", "created_at", "archived", "total", "done", "skipped", "do_not_call", "left",
    }  # fmt: skip


def test_a_workbook_imports_from_its_first_or_a_chosen_sheet(
    env: dict[str, str], tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Berlin"
    first.append(["Name", "Phone", "Mobile"])
    first.append(["Ute", None, 4915123456789])  # a mobile stored as a number
    hamburg = book.create_sheet("Hamburg")
    hamburg.append(["Name", "Phone"])
    hamburg.append(["Hein", "040 1234567"])
    hamburg.append(["Fiete", "040 7654321"])
    path = tmp_path / "leads.xlsx"
    book.save(path)
    done = run_cli(env, "lists", "import", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert (json.loads(done.stdout)["imported"], json.loads(done.stdout)["name"]) == (1, "leads")
    chosen = run_cli(env, "lists", "import", str(path), "--sheet", "Hamburg", "--name", "HH")
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.splitlines()[0] == "Imported 2 numbers as list 2 (HH)."
    unknown = run_cli(env, "lists", "import", str(path), "--sheet", "Bremen")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        "a1dialer: leads.xlsx has no sheet named Bremen; its sheets are: Berlin, Hamburg."
    )


def test_bad_files_exit_2_with_one_sentence(env: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    done = run_cli(env, "lists", "import", str(broken))
    assert done.returncode == 2
    assert done.stderr.startswith("a1dialer: broken.xlsx cannot be read as an Excel workbook")
    assert "Traceback" not in done.stderr
    as_json = run_cli(env, "lists", "import", str(broken), "--json")
    assert as_json.returncode == 2
    error = json.loads(as_json.stdout)
    assert (error["ok"], error["error"], error["exit_code"]) == (False, "BadInput", 2)
    useless = tmp_path / "useless.csv"
    useless.write_text("Name,Phone\nA,nope\nB,12\n", encoding="utf-8")
    nothing = run_cli(env, "lists", "import", str(useless))
    assert nothing.returncode == 2
    assert nothing.stderr.splitlines()[-1] == (
        "a1dialer: No number in useless.csv could be used; no list was made."
    )
    assert run_cli(env, "lists", "--json").stdout == ""
