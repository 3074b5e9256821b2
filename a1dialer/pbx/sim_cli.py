"""The ``a1dialer simulator`` command: its options, and serving until Ctrl+C."""

from __future__ import annotations

import argparse
import os
import threading

from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.server_address import is_loopback_host
from a1dialer.pbx.simulator import (
    AUTH_MODES,
    ENDPOINTS,
    FAULT_KINDS,
    RECORDING_FORMATS,
    RECORDING_MODES,
    REPLY_MODES,
    PbxSimulator,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``a1dialer simulator`` options."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    parser.add_argument(
        "--key",
        default=os.environ.get("A1PBX_SIMULATOR_KEY", "demo-key"),
        help="the API key it accepts (default demo-key)",
    )
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow binding a non-loopback address"
    )
    parser.add_argument(
        "--auth-mode", choices=AUTH_MODES, default="401", help="how a wrong key is answered"
    )
    parser.add_argument(
        "--reply-mode", choices=REPLY_MODES, default="text", help="shape of originate replies"
    )
    parser.add_argument(
        "--answer-delay",
        type=float,
        default=3.0,
        help="seconds until the rep's phone 'answers' (unless auto-answer)",
    )
    parser.add_argument(
        "--call-duration", type=float, default=5.0, help="simulated call length in seconds"
    )
    parser.add_argument(
        "--recording-delay",
        type=float,
        default=3.0,
        help="seconds after the call until its recording appears",
    )
    parser.add_argument("--recording-format", choices=RECORDING_FORMATS, default="wav")
    parser.add_argument("--recording-mode", choices=RECORDING_MODES, default="bytes")
    parser.add_argument("--no-range", action="store_true", help="ignore HTTP Range requests")
    faults = parser.add_argument_group(
        "fault injection", "misbehave on purpose (docs/simulator.md describes each fault)"
    )
    faults.add_argument(
        "--fault",
        choices=FAULT_KINDS,
        help="how to misbehave: delay (answer late), reset (cut the line at once), drop (carry "
        "the request out, then close with no reply), drip / drip-body (send the reply, or only "
        "its body, one byte every --fault-delay seconds), oversize (a 200 reply of "
        "--fault-size MB), truncate (half a recording), html500, html200, garbage, empty, "
        "http404, json-error, access-denied",
    )
    faults.add_argument(
        "--fault-endpoint", choices=ENDPOINTS, help="only this endpoint (default: both)"
    )
    faults.add_argument(
        "--fault-count",
        type=int,
        metavar="N",
        help="only the next N requests (default: every request)",
    )
    faults.add_argument(
        "--fault-delay",
        type=float,
        default=1.0,
        metavar="S",
        help="seconds a delay waits, or between two bytes of a drip (default 1)",
    )
    faults.add_argument(
        "--fault-size",
        type=float,
        default=300.0,
        metavar="MB",
        help="MB of an oversize reply (default 300)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C; a host or port it cannot use is a DialerError (exit code 2 or 6)."""
    if not args.allow_remote and not is_loopback_host(args.host):
        raise BadInput(
            f"The simulator listens on this computer only: add --allow-remote to bind {args.host}."
        )
    simulator = PbxSimulator(
        args.key,
        host=args.host,
        port=args.port,
        auth_mode=args.auth_mode,
        reply_mode=args.reply_mode,
        answer_delay=args.answer_delay,
        call_duration=args.call_duration,
        recording_delay=args.recording_delay,
        recording_format=args.recording_format,
        recording_mode=args.recording_mode,
        range_support=not args.no_range,
        allow_remote=args.allow_remote,
    )
    if args.fault:
        try:
            simulator.set_fault(
                args.fault,
                count=args.fault_count,
                delay=args.fault_delay,
                endpoint=args.fault_endpoint,
                size_mb=args.fault_size,
            )
        except ValueError as error:
            raise BadInput(f"The fault options do not fit together: {error}.") from None
    try:
        simulator.start()
    except OSError as error:
        raise LocalProblem(
            f"The simulator cannot listen on {args.host} port {args.port}: is it already "
            "running? Choose another port with --port.",
            str(error),
        ) from None
    fault = f" Fault: {args.fault}." if args.fault else ""
    print(
        f"A1PBX simulator on {simulator.server_url} (key: {simulator.key}).{fault} Ctrl+C to stop.",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0
