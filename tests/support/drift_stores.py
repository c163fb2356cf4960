"""Stores and contracts of Web Services traffic for the drift tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from docgen.capture.record import Exchange
from docgen.capture.store import Store
from docgen.capture.synthetic import exchange
from docgen.infer.builder import build_model
from docgen.publish.openapi import to_openapi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"


USER_IDS = [f"{n:032x}" for n in range(1, 11)]


def write_store(path: Path, exchanges: Iterable[Exchange]) -> Path:
    """A store of these exchanges, each its own record: the store skips an exact copy of
    one it holds, so the same request made twice gets a flow id, as recorded flows have."""
    with Store(path) as store:
        store.append([replace(ex, flow_id=ex.flow_id or f"flow-{index}")
                      for index, ex in enumerate(exchanges)])
    return path


def write_contract(path: Path, exchanges: Iterable[Exchange]) -> Path:
    path.write_text(json.dumps(to_openapi(build_model(exchanges))), encoding="utf-8")
    return path


def user(index: int, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": USER_IDS[index], "userName": f"agent{index}", "level": str(index % 3 + 1),
        "state": ["Ready", "NotReady"][index % 2], "created": "2024-05-01T10:00:00Z",
        "code": f"c{index}-{index * 7}",
    }
    if index < 8:
        body["nickname"] = f"n{index}"
    if index == 0:
        body["rare"] = "x"
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def baseline() -> list[Exchange]:
    """Users (with an enum, a format, optional fields) and an operation-style endpoint."""
    exchanges = [exchange("GET", f"/api/v2/users/{USER_IDS[i]}", {"statusCode": 0, "user": user(i)})
                 for i in range(10)]
    for name in ["Answer", "Hold", "Answer", "Hold"]:
        exchanges.append(exchange("POST", "/api/v2/me/calls/0ABCDEFGHIJKLMNOPQRSTUVWXYZ12345",
                                  {"statusCode": 0}, request={"operationName": name}))
    return exchanges


