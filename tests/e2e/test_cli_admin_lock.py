"""Admin-locked settings on the command line: configure refuses, --show marks, dial obeys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer.pbx.simulator import PbxSimulator
from tests.e2e.conftest import run_cli

pytestmark = pytest.mark.slow

KEY = "admin-lock-test-key-51c2"
ADMIN_NUMBER = "442079460000"


@pytest.fixture
def sim() -> Iterator[PbxSimulator]:
    with PbxSimulator(KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0) as running:
        yield running


@pytest.fixture
def env(tmp_path: Path, sim: PbxSimulator) -> dict[str, str]:
    """A rep's shell whose admin locked the server and caller ID and set a default ringback."""
    admin = tmp_path / "defaults.toml"
    admin.write_text(
        f'server = "{sim.server_url}"\n'
        f'caller_id_number = "{ADMIN_NUMBER}"\n'
        'caller_id_name = "Acme UK"\n'
        'ringback = "uk-ring"\n'
        'default_country = "GB"\n'
        'locked = ["server", "caller_id_number", "caller_id_name", "no_such_setting"]\n',
        encoding="utf-8",
    )
    shell = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    shell["A1DIALER_HOME"] = str(tmp_path / "profile")
    shell["A1DIALER_DEFAULTS"] = str(admin)
    return shell


def settings_file(env: dict[str, str]) -> Path:
    return Path(env["A1DIALER_HOME"]) / "settings.toml"


def log_text(env: dict[str, str]) -> str:
    logs = sorted((Path(env["A1DIALER_HOME"]) / "logs").glob("*.log"))
    return "".join(path.read_text(encoding="utf-8") for path in logs)


def test_configure_refuses_to_change_a_locked_setting(env: dict[str, str]) -> None:
    assert run_cli(env, "configure", "--extension", "1007").returncode == 0
    before = settings_file(env).read_text(encoding="utf-8")

    done = run_cli(env, "configure", "--extension", "1008", "--caller-id-number", "12085550100")

    assert done.returncode == 2
    assert done.stderr.strip().endswith("caller_id_number is set by your administrator.")
    assert settings_file(env).read_text(encoding="utf-8") == before
    refused = run_cli(env, "configure", "--server", "pbx.mine.example")
    assert refused.returncode == 2
    assert "server is set by your administrator." in refused.stderr
    # Giving the value the admin set changes nothing, so it is no refusal.
    same = run_cli(env, "configure", "--caller-id-number", ADMIN_NUMBER, "--extension", "1009")
    assert same.returncode == 0, same.stderr
    assert "caller_id_number" not in settings_file(env).read_text(encoding="utf-8")


def test_configure_show_marks_locked_and_admin_default_values(
    env: dict[str, str], sim: PbxSimulator
) -> None:
    assert run_cli(env, "configure", "--extension", "1007", "--country", "IE").returncode == 0

    shown = run_cli(env, "configure", "--show")

    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert f"server = '{sim.server_url}'  (locked)" in lines
    assert f"caller_id_number = '{ADMIN_NUMBER}'  (locked)" in lines
    assert "ringback = 'uk-ring'  (admin default)" in lines
    assert "default_country = 'IE'" in lines  # the rep's own, over the admin's GB
    assert "extension = '1007'" in lines
    assert "record = False" in lines
    assert "no_such_setting" in log_text(env)


def test_dial_sends_the_locked_caller_id_whatever_the_reps_file_says(
    env: dict[str, str], sim: PbxSimulator
) -> None:
    settings_file(env).parent.mkdir(parents=True)
    settings_file(env).write_text(
        'extension = "1007"\n'
        'caller_id_number = "19005550123"\n'
        'caller_id_name = "Not Acme"\n'
        'server = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    env["A1DIALER_API_KEY"] = KEY

    done = run_cli(env, "dial", "+1 208 555 1234")

    assert done.returncode == 0, done.stderr
    sent = sim.originates[-1]
    assert (sent["des_cid_number"], sent["dst_cid_name"]) == (ADMIN_NUMBER, "Acme UK")
    assert (sent["src"], sent["dest"], sent["ringback"]) == ("1007", "12085551234", "uk-ring")
    log = log_text(env)
    for name in ("caller_id_number", "caller_id_name", "server"):
        assert f"{name} is set by your administrator; your value is ignored." in log
    assert "19005550123" not in log
    assert "Not Acme" not in log


def test_dial_refuses_a_per_call_choice_the_admin_locked_before_sending(
    env: dict[str, str], sim: PbxSimulator
) -> None:
    admin = Path(env["A1DIALER_DEFAULTS"])
    text = admin.read_text(encoding="utf-8")
    admin.write_text(text.replace("locked = [", 'record = true\nlocked = ["record", '))
    env["A1DIALER_API_KEY"] = KEY
    assert run_cli(env, "configure", "--extension", "1007").returncode == 0

    refused = run_cli(env, "dial", "+1 208 555 1234", "--no-record")

    assert refused.returncode == 2
    assert refused.stderr.strip().endswith("record is set by your administrator.")
    assert sim.originates == []
    done = run_cli(env, "dial", "+1 208 555 1234", "--record", "--ringback", "de-ring")
    assert done.returncode == 0, done.stderr
    assert (sim.originates[-1]["rec"], sim.originates[-1]["ringback"]) == ("true", "de-ring")
