"""place_call: the one path every call takes, so the do-not-call list is enforced there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList, OnDoNotCallList
from a1dialer.core.settings import Settings
from a1dialer.pbx.client import PbxClient
from a1dialer.pbx.placing import CallOptions, place_call, target_for
from a1dialer.pbx.simulator import PbxSimulator


@pytest.fixture
def call_log(tmp_path: Path) -> Iterator[CallLog]:
    with CallLog(tmp_path / "calls.sqlite3") as opened:
        yield opened


@pytest.fixture
def dnc(call_log: CallLog) -> DoNotCallList:
    return DoNotCallList(call_log)


def configured(simulator: PbxSimulator) -> Settings:
    return Settings().validated(
        server=simulator.server_url, extension="1007", caller_id_number="12085550100",
        allow_insecure_http=True,
    )  # fmt: skip


def test_place_call_refuses_before_logging_or_sending(
    simulator: PbxSimulator, call_log: CallLog, dnc: DoNotCallList
) -> None:
    settings = configured(simulator)
    blocked = target_for("+1 208 555 1234", settings)
    dnc.add(blocked.dial, blocked.display, "asked not to be called")
    with PbxClient.from_settings(settings, simulator.key) as client:
        with pytest.raises(OnDoNotCallList, match="asked not to be called"):
            place_call(client, settings, call_log, blocked, CallOptions())
        assert simulator.originates == []
        assert call_log.count() == 0
        # Another number still goes through, once.
        allowed = target_for("+1 208 555 9876", settings)
        placed = place_call(client, settings, call_log, allowed, CallOptions())
    assert len(simulator.originates) == 1
    assert [r.uuid for r in call_log.search()] == [placed.uuid]
