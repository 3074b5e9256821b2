"""The admin layer: the admin defaults file, then the OS policy, merged, with the locked names."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from a1dialer.core.admin_policy import LOCKED_KEY, Policy, PolicyReader, system_policy_reader
from a1dialer.core.errors import LocalProblem
from a1dialer.core.settings import (
    OPTIONS_BY_NAME,
    AdminLayer,
    admin_defaults_file,
    checked_values,
    read_toml,
)
from a1dialer.core.translation import _

log = logging.getLogger(__name__)


def load_admin_layer(policy: PolicyReader | None = None) -> AdminLayer:
    """``defaults.toml``, then each policy ``policy`` reads (later wins); both may lock settings.

    Unknown names in ``locked`` are logged and skipped, as are unknown settings in an OS policy
    (one may be meant for another version); an unknown setting in ``defaults.toml`` or a bad value
    anywhere is a ``LocalProblem`` naming where it is.
    """
    reader = policy if policy is not None else system_policy_reader()
    path = admin_defaults_file()
    layers = [Policy(str(path), read_toml(path), strict=True), *reader.read()]
    values: dict[str, Any] = {}
    locked = {option.name for option in OPTIONS_BY_NAME.values() if option.admin_only}
    for layer in layers:
        settings = dict(layer.values)
        locked |= _locked_names(settings.pop(LOCKED_KEY, []), layer.source)
        if not layer.strict:
            settings = _known(settings, layer.source)
        values |= checked_values(settings, layer.source)
    sources = tuple(layer.source for layer in layers if layer.values)
    return AdminLayer(values, frozenset(locked), sources)


def _locked_names(names: Any, source: str) -> set[str]:
    if isinstance(names, tuple):
        names = list(names)
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise LocalProblem(
            _('{source}: locked must be a list of setting names, such as ["server"].').format(
                source=source
            )
        )
    unknown = sorted({name for name in names if name not in OPTIONS_BY_NAME})
    if unknown:
        log.warning(
            "%s: %s names settings that do not exist; ignored: %s",
            source,
            LOCKED_KEY,
            ", ".join(unknown),
        )
    return {name for name in names if name in OPTIONS_BY_NAME}


def _known(settings: Mapping[str, Any], source: str) -> dict[str, Any]:
    unknown = sorted(name for name in settings if name not in OPTIONS_BY_NAME)
    if unknown:
        log.warning("%s: settings that do not exist; ignored: %s", source, ", ".join(unknown))
    return {name: value for name, value in settings.items() if name in OPTIONS_BY_NAME}
