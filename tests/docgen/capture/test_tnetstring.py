"""The compiled tnetstring decoder is in use, current, and decodes as its Python source does.

The install compiles docgen/capture/tnetstring.py with mypyc (setup.py). The Python source
is loaded here a second time, uncompiled, and both decode the same inputs: every record of
mitmproxy's own test flow files (whole and with the keys a snapshot wants), values of every
type written by mitmproxy's encoder, and broken input, which must be a ValueError in both,
never a crash of compiled code (100,000 levels of nesting included).
"""

from __future__ import annotations

import importlib.util
import io
import random
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from mitmproxy.io import tnetstring as mitmproxy_tnetstring

from docgen.capture import flowfile, tnetstring

ROOT = Path(__file__).resolve().parents[3]
# Not from tnetstring.__file__: mypyc names a grouped module's file wrongly when another
# module of its group imported it first.
SOURCE = ROOT / "docgen" / "capture" / "tnetstring.py"
FIXTURES = ROOT / "tests" / "fixtures" / "mitmproxy_flows"


def python_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tnetstring_as_python", SOURCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PYTHON = python_module()


def outcome(module: ModuleType, data: bytes, wanted: dict[str, Any] | None = None) -> Any:
    try:
        return module.decode(data, 0, wanted)
    except ValueError as exc:
        return ("ValueError", str(exc))


def test_the_installed_module_is_compiled() -> None:  # current: tests/test_setup.py
    assert tnetstring.COMPILED, "docgen/capture/tnetstring.py is not compiled: run make"
    assert not PYTHON.COMPILED


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.mitm")), ids=lambda p: p.name)
def test_same_values_on_mitmproxys_flow_files(path: Path) -> None:
    records = list(flowfile.records(io.BytesIO(path.read_bytes())))
    assert records
    for record in records:
        for wanted in (None, flowfile.WANTED):
            assert outcome(tnetstring, record, wanted) == outcome(PYTHON, record, wanted)
        assert outcome(tnetstring, record)[0] == mitmproxy_tnetstring.loads(record)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 4 else 7)
    if kind == 0:
        return rng.randbytes(rng.randrange(40))
    if kind == 1:
        return "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(160, 0x10FFFF)]))
                       for _ in range(rng.randrange(12))).encode("utf-8", "replace").decode()
    if kind == 2:
        return rng.randrange(-10**20, 10**20)
    if kind == 3:
        return rng.random() * 10 ** rng.randrange(-5, 20)
    if kind in (4, 5, 6):
        return [None, True, False][kind - 4]
    if kind == 7:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(6))]
    return {random_value(rng, 9) if rng.random() < 0.2 else f"k{i}": random_value(rng, depth + 1)
            for i in range(rng.randrange(6))}


@pytest.mark.parametrize("seed", range(20))
def test_same_values_as_mitmproxys_encoder_wrote(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        value = {"version": 21, "request": random_value(rng), "other": random_value(rng)}
        data = mitmproxy_tnetstring.dumps(value)
        assert outcome(tnetstring, data) == (value, len(data))
        wanted = {"request": None, "version": None}
        assert outcome(tnetstring, data, wanted) == outcome(PYTHON, data, wanted)


def nested_lists(levels: int) -> bytes:
    """[[[...]]] as a tnetstring, built from the inside out in one join."""
    length, prefixes = 3, []  # the innermost "0:]"
    for _ in range(levels):
        prefix = f"{length}:".encode()
        prefixes.append(prefix)
        length += len(prefix) + 1
    return b"".join(reversed(prefixes)) + b"0:]" + b"]" * levels


def broken_inputs() -> list[bytes]:
    good = mitmproxy_tnetstring.dumps({"a": [1, 2.5, None, True, b"x", "y"], "b": {"c": 1}})
    cuts = [good[:end] for end in range(len(good))]
    flips = [good[:i] + bytes([good[i] ^ 0x5A]) + good[i + 1:] for i in range(len(good))]
    deep = nested_lists(100_000)
    return [*cuts, *flips, deep, b"", b":", b"13:" + b"1" * 20, b"99999999999999:x,"]


def test_nested_lists_are_well_formed() -> None:
    assert mitmproxy_tnetstring.loads(nested_lists(3)) == [[[[]]]]


def test_broken_input_is_a_value_error_in_both_never_a_crash() -> None:
    for data in broken_inputs():
        for wanted in (None, {"a": None, "b": {"c": None}}):
            compiled, python = outcome(tnetstring, data, wanted), outcome(PYTHON, data, wanted)
            assert compiled == python, data[:60]
