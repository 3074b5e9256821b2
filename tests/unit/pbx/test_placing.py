"""place_call: the one path every call takes: the do-not-call list, the pending row, the outcome."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from a1dialer.core.call_options import CallOptions
from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList, OnDoNotCallList
from a1dialer.core.errors import LocalProblem, OutcomeUnknown
from a1dialer.core.settings import Settings
from a1dialer.pbx.client import CallPlaced, PbxClient
from a1dialer.pbx.placing import place_call, target_for
from a1dialer.pbx.simulator import PbxSimulator
from tests.conftest import CallLogLock


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


# --- what becomes of a call once the PBX may have it --------------------------------------------


def client_for(simulator: PbxSimulator, originate_timeout: float = 90.0) -> PbxClient:
    return PbxClient(
        simulator.server_url,
        simulator.key,
        allow_insecure_http=True,
        originate_timeout=originate_timeout,
    )


def test_a_dropped_connection_leaves_the_call_unknown_never_failed(
    simulator: PbxSimulator, call_log: CallLog
) -> None:
    settings = configured(simulator)
    simulator.set_fault("reset", endpoint="originate")
    with client_for(simulator) as client, pytest.raises(OutcomeUnknown):
        place_call(client, settings, call_log, target_for("2085551234", settings),
                   CallOptions(record=True), call_id="dropped")  # fmt: skip
    stored = call_log.get("dropped")
    assert stored is not None
    assert (stored.status, stored.record, stored.record_requested) == ("unknown", False, True)
    assert "may still ring" in stored.error
    assert len(simulator.originates) == 1  # never retried


def test_no_answer_in_time_leaves_the_call_unknown(
    simulator: PbxSimulator, call_log: CallLog
) -> None:
    settings = configured(simulator)
    simulator.set_fault("delay", delay=5.0, endpoint="originate")
    with client_for(simulator, originate_timeout=0.3) as client, pytest.raises(OutcomeUnknown):
        place_call(client, settings, call_log, target_for("2085551234", settings),
                   CallOptions(), call_id="slow")  # fmt: skip
    stored = call_log.get("slow")
    assert stored is not None
    assert stored.status == "unknown"
    assert call_log.search(status="failed") == []
    assert len(simulator.originates) == 1


def test_a_call_log_that_cannot_take_the_pending_row_sends_nothing(
    simulator: PbxSimulator, call_log: CallLog
) -> None:
    settings = configured(simulator)
    call_log.close()
    with client_for(simulator) as client, pytest.raises(LocalProblem):
        place_call(client, settings, call_log, target_for("2085551234", settings), CallOptions())
    assert simulator.requests == []


@pytest.mark.slow
def test_an_accepted_call_whose_outcome_waits_past_the_lock_is_placed_and_queued(
    simulator: PbxSimulator, tmp_path: Path, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    settings = configured(simulator)
    path = tmp_path / "locked.sqlite3"
    simulator.set_fault("delay", delay=2.0, count=1, endpoint="originate")
    results: list[CallPlaced] = []
    with CallLog(path, outcome_wait_s=0.3) as call_log, client_for(simulator) as client:
        target = target_for("+1 208 555 1234 ext. 55", settings)
        worker = threading.Thread(
            target=lambda: results.append(
                place_call(client, settings, call_log, target, CallOptions(record=True))
            )
        )
        worker.start()
        assert simulator.wait_for_requests(1)
        holder = lock_call_log(path)  # another program takes the file while the PBX rings
        worker.join(timeout=20)
        assert not worker.is_alive()
        (placed,) = results
        assert placed.log_problem == (
            "The call log could not be updated yet (another program holds it); the call is "
            "kept and written to it later."
        )
        holder.release()
    with CallLog(path) as reopened:
        stored = reopened.get(placed.uuid)
    assert stored is not None
    assert (stored.status, stored.record, stored.extension) == ("placed", True, "55")


@pytest.mark.slow
def test_an_accepted_call_whose_outcome_cannot_be_written_at_all_is_still_placed(
    simulator: PbxSimulator, tmp_path: Path, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    settings = configured(simulator)
    path = tmp_path / "calls.sqlite3"
    simulator.set_fault("delay", delay=2.0, count=1, endpoint="originate")
    results: list[CallPlaced] = []
    with CallLog(path, outcome_wait_s=0.2) as call_log, client_for(simulator) as client:
        call_log.journal.mkdir()  # and the queue cannot be written either
        target = target_for("2085551234", settings)
        worker = threading.Thread(
            target=lambda: results.append(
                place_call(client, settings, call_log, target, CallOptions())
            )
        )
        worker.start()
        assert simulator.wait_for_requests(1)
        holder = lock_call_log(path)
        worker.join(timeout=20)
        holder.release()
    (placed,) = results
    assert placed.log_problem.startswith("The call log could not be updated (another program")
    assert placed.log_problem.endswith("note its call id.")
    assert len(simulator.originates) == 1
