"""place_call sends the caller ID and the phone to ring first, as received by the simulator."""

from __future__ import annotations

from dataclasses import replace

import pytest

from a1dialer.core.call_options import CallOptions
from a1dialer.core.caller_ids import pick_caller_id, ring_choice
from a1dialer.core.calllog import CallLog
from a1dialer.core.errors import OutcomeUnknown
from a1dialer.core.settings import Settings
from a1dialer.pbx.client import PbxClient
from a1dialer.pbx.placing import place_call, target_for
from a1dialer.pbx.simulator import PbxSimulator

IDENTITY_PARAMS = ("des_cid_number", "dest_cid_number", "dst_cid_name", "dest_cid_name")


def admin_allows(settings: Settings) -> Settings:
    """``settings`` as an admin's file allowing outside numbers makes them: the setting is
    admin-only (always locked), so a rep's own change is refused."""
    return replace(settings, allow_ring_me_at_external=True)


def configured(simulator: PbxSimulator, **changes: object) -> Settings:
    return Settings().validated(
        **{
            "server": simulator.server_url,
            "extension": "1007",
            "caller_id_number": "12085550100",
            "caller_id_name": "Acme",
            "allow_insecure_http": True,
            "local_presence": True,
            "caller_ids": [
                {"number": "+44 20 7946 0000", "name": "Acme UK"},
                {"number": "(208) 555-0111", "name": "Acme Boise"},
            ],
            "my_numbers": [{"number": "+1 208 555 0199", "label": "Mobile"}],
            **changes,
        }
    )


def sent(simulator: PbxSimulator) -> dict[str, str]:
    received = simulator.originates[-1]
    return {name: received[name] for name in (*IDENTITY_PARAMS, "src", "source")}


@pytest.mark.parametrize(
    ("number", "cid_number", "cid_name"),
    [
        ("(208) 555-1234", "12085550111", "Acme Boise"),
        ("(312) 555-1234", "12085550111", "Acme Boise"),
        ("+44 161 496 0000", "442079460000", "Acme UK"),
        ("+49 30 1234567", "12085550100", "Acme"),
    ],
)
def test_each_call_sends_and_logs_its_local_caller_id(
    simulator: PbxSimulator, call_log: CallLog, number: str, cid_number: str, cid_name: str
) -> None:
    settings = configured(simulator)
    with PbxClient.from_settings(settings, simulator.key) as client:
        placed = place_call(client, settings, call_log, target_for(number, settings), CallOptions())
    assert sent(simulator) == {
        "des_cid_number": cid_number,
        "dest_cid_number": cid_number,
        "dst_cid_name": cid_name,
        "dest_cid_name": cid_name,
        "src": "1007",
        "source": "1007",
    }
    stored = call_log.get(placed.uuid)
    assert stored is not None
    assert (stored.cid_number, stored.cid_name, stored.ring_me_at) == (cid_number, cid_name, "")


def test_a_picked_caller_id_and_phone_are_sent_instead(
    simulator: PbxSimulator, call_log: CallLog
) -> None:
    settings = admin_allows(configured(simulator, number_format="national"))
    uk = pick_caller_id(settings, "+44 20 7946 0000")
    mobile = ring_choice(settings, "208 555 0199")
    target = target_for("(208) 555-1234", settings)
    with PbxClient.from_settings(settings, simulator.key) as client:
        placed = place_call(
            client, settings, call_log, target, CallOptions(), caller_id=uk, ring=mobile
        )
    assert sent(simulator) == {
        "des_cid_number": "442079460000",
        "dest_cid_number": "442079460000",
        "dst_cid_name": "Acme UK",
        "dest_cid_name": "Acme UK",
        # The mobile rings first, written as a destination is in the national format.
        "src": "2085550199",
        "source": "2085550199",
    }
    stored = call_log.get(placed.uuid)
    assert stored is not None
    assert (stored.cid_number, stored.ring_me_at) == ("442079460000", "2085550199")


def test_the_ring_me_at_setting_rings_the_mobile_only_while_allowed(
    simulator: PbxSimulator, call_log: CallLog
) -> None:
    settings = configured(simulator, ring_me_at="+1 208 555 0199")
    target = target_for("(208) 555-1234", settings)
    with PbxClient.from_settings(settings, simulator.key) as client:
        place_call(client, settings, call_log, target, CallOptions())
        assert sent(simulator)["src"] == "1007"
        allowed = admin_allows(settings)
        place_call(
            client, allowed, call_log, target_for("+44 161 496 0000", allowed), CallOptions()
        )
    assert sent(simulator)["src"] == "12085550199"


def test_a_call_that_may_ring_the_mobile_names_the_mobile(
    simulator: PbxSimulator, call_log: CallLog
) -> None:
    settings = admin_allows(configured(simulator))
    mobile = ring_choice(settings, "+1 208 555 0199")
    simulator.set_fault("reset", count=1, endpoint="originate")
    with (
        PbxClient.from_settings(settings, simulator.key) as client,
        pytest.raises(OutcomeUnknown) as caught,
    ):
        place_call(
            client,
            settings,
            call_log,
            target_for("(208) 555-1234", settings),
            CallOptions(),
            call_id="call-to-the-mobile",
            ring=mobile,
        )
    assert "your phone (+1 208-555-0199) may still ring" in caught.value.sentence
    stored = call_log.get("call-to-the-mobile")
    assert stored is not None
    assert (stored.status, stored.ring_me_at) == ("unknown", "12085550199")
