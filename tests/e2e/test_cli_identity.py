"""``dial --caller-id`` and ``--ring-me-at`` end to end: subprocesses against the simulator."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer.pbx.simulator import PbxSimulator
from tests.e2e.conftest import run_cli

pytestmark = pytest.mark.slow

KEY = "cli-identity-key-5e1"
ADMIN_DEFAULTS = """\
caller_id_number = "12085550100"
caller_id_name = "Acme"
local_presence = true

[[caller_ids]]
number = "+44 20 7946 0000"
name = "Acme UK"

[[caller_ids]]
number = "(208) 555-0111"
name = "Acme Boise"

[[my_numbers]]
number = "+1 208 555 0199"
label = "Mobile"
"""


@pytest.fixture
def sim() -> Iterator[PbxSimulator]:
    with PbxSimulator(KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0) as running:
        yield running


@pytest.fixture
def defaults(tmp_path: Path) -> Path:
    path = tmp_path / "defaults.toml"
    path.write_text(ADMIN_DEFAULTS, encoding="utf-8")
    return path


@pytest.fixture
def env(tmp_path: Path, sim: PbxSimulator, defaults: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env["A1DIALER_HOME"] = str(tmp_path / "profile")
    env["A1DIALER_DEFAULTS"] = str(defaults)
    done = run_cli(env, "configure", "--server", sim.server_url, "--extension", "1007")
    assert done.returncode == 0, done.stderr
    env["A1DIALER_API_KEY"] = KEY
    return env


def identity_sent(sim: PbxSimulator) -> dict[str, str]:
    received = sim.originates[-1]
    names = ("des_cid_number", "dest_cid_number", "dst_cid_name", "dest_cid_name", "src", "source")
    return {name: received[name] for name in names}


def test_local_presence_and_a_caller_id_picked_in_any_format(
    env: dict[str, str], sim: PbxSimulator
) -> None:
    done = run_cli(env, "dial", "+44 161 496 0000", "--json")
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert (reply["cid_number"], reply["cid_name"], reply["ring_me_at"]) == (
        "442079460000",
        "Acme UK",
        "",
    )
    assert identity_sent(sim)["des_cid_number"] == "442079460000"

    done = run_cli(env, "dial", "(208) 555-1234", "--caller-id", "0044 (20) 7946-0000")
    assert done.returncode == 0, done.stderr
    assert identity_sent(sim) == {
        "des_cid_number": "442079460000",
        "dest_cid_number": "442079460000",
        "dst_cid_name": "Acme UK",
        "dest_cid_name": "Acme UK",
        "src": "1007",
        "source": "1007",
    }
    history = run_cli(env, "history", "--json")
    newest = json.loads(history.stdout.splitlines()[0])
    assert (newest["cid_number"], newest["cid_name"], newest["ring_me_at"]) == (
        "442079460000",
        "Acme UK",
        "",
    )


def test_a_caller_id_not_in_the_list_is_refused_before_anything_is_sent(
    env: dict[str, str], sim: PbxSimulator
) -> None:
    done = run_cli(env, "dial", "(208) 555-1234", "--caller-id", "+1 208 555 9999")
    assert done.returncode == 2
    assert "+1 208 555 9999 is not one of your caller IDs" in done.stderr
    done = run_cli(env, "dial", "(208) 555-1234", "--caller-id", "not a number")
    assert done.returncode == 2
    assert done.stderr.startswith("a1dialer: --caller-id:")
    assert sim.requests == []
    assert run_cli(env, "history", "--json").stdout == ""


def test_ring_me_at_an_outside_number_needs_the_admins_permission(
    env: dict[str, str], sim: PbxSimulator, defaults: Path, tmp_path: Path
) -> None:
    # The rep's own settings.toml cannot grant it.
    own = tmp_path / "profile" / "settings.toml"
    own.write_text(
        own.read_text(encoding="utf-8") + "allow_ring_me_at_external = true\n", encoding="utf-8"
    )
    done = run_cli(env, "dial", "(208) 555-1234", "--ring-me-at", "208-555-0199")
    assert done.returncode == 2
    assert "Your administrator does not allow an outside number to ring first" in done.stderr
    done = run_cli(env, "dial", "(208) 555-1234", "--ring-me-at", "+1 208 555 0177")
    assert done.returncode == 2
    assert "+1 208-555-0177 is not one of your numbers" in done.stderr
    assert sim.requests == []

    # A plain setting goes above the [[tables]]: below, it would belong to the last one.
    defaults.write_text(ADMIN_DEFAULTS + "allow_ring_me_at_external = true\n", encoding="utf-8")
    done = run_cli(env, "dial", "(208) 555-1234", "--ring-me-at", "208-555-0199")
    assert done.returncode == 6
    assert "move allow_ring_me_at_external above the first one" in done.stderr
    defaults.write_text("allow_ring_me_at_external = true\n" + ADMIN_DEFAULTS, encoding="utf-8")
    done = run_cli(env, "dial", "(208) 555-1234", "--ring-me-at", "208-555-0199", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ring_me_at"] == "12085550199"
    assert identity_sent(sim) == {
        "des_cid_number": "12085550111",
        "dest_cid_number": "12085550111",
        "dst_cid_name": "Acme Boise",
        "dest_cid_name": "Acme Boise",
        "src": "12085550199",
        "source": "12085550199",
    }
    # The extension may always ring first.
    done = run_cli(env, "dial", "+44 161 496 0000", "--ring-me-at", "1007")
    assert done.returncode == 0, done.stderr
    assert identity_sent(sim)["src"] == "1007"
