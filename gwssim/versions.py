"""The two API versions the simulator can play, and exactly how they differ.

8.5.202 is the default and matches the reference: bodies of a real Web Services 8.5.202.96
server (tests/fixtures/real-gws/, checked by tests/gwssim/test_fidelity.py).
8.5.201 is the same API minus the five changes in `CHANGES_IN_202`; nothing else differs.
Drift tests name these changes, so each one is data here, not a scattered `if`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Change names (stable identifiers that code and tests refer to).
USER_CONTACT_CENTER_ID = "user.contactCenterId added"
USER_EMPLOYEE_ID = "user.employeeId removed"
SKILL_LEVEL_INTEGER = "skill.level string -> integer"
MUTE_OPERATIONS = "SetMuteOn/SetMuteOff operations added"
CALL_TYPE_CONSULT = "call.callType value Consult added"


@dataclass(frozen=True)
class Change:
    """One difference of 8.5.202 from 8.5.201."""

    name: str
    kind: str  # added-field | removed-field | changed-type | added-operation | added-enum-value
    target: str  # the object (user, skill, call) or the path the change is on
    member: str  # the field, operation or enum field that changed
    detail: str


CHANGES_IN_202: tuple[Change, ...] = (
    Change(USER_CONTACT_CENTER_ID, "added-field", "user", "contactCenterId",
           "every user gains contactCenterId (lowercase UUID)"),
    Change(USER_EMPLOYEE_ID, "removed-field", "user", "employeeId",
           "optional employeeId (only some users have one) is no longer returned"),
    Change(SKILL_LEVEL_INTEGER, "changed-type", "skill", "level",
           'skill level is a string ("7") in 8.5.201 and an integer (7) in 8.5.202'),
    Change(MUTE_OPERATIONS, "added-operation", "/api/v2/me/calls/{callId}", "SetMuteOn,SetMuteOff",
           "new call operations; 8.5.201 answers statusCode 10 (unknown operation)"),
    Change(CALL_TYPE_CONSULT, "added-enum-value", "call", "callType",
           "consultation calls report callType Consult; 8.5.201 reports them as Internal"),
)


@dataclass(frozen=True)
class ApiVersion:
    """One playable version: its name, the build it reports, and the changes it has."""

    name: str
    build: str  # what GET /api/v2/diagnostics/version answers
    changes: frozenset[str]

    def has(self, change: str) -> bool:
        return change in self.changes


VERSIONS: dict[str, ApiVersion] = {
    "8.5.201": ApiVersion("8.5.201", "8.5.201.97", frozenset()),
    "8.5.202": ApiVersion("8.5.202", "8.5.202.96", frozenset(c.name for c in CHANGES_IN_202)),
}
DEFAULT_API_VERSION = "8.5.202"
