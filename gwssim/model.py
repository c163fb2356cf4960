"""The simulated contact center's state: users, their devices and skills, and live calls.

Each party of a telephone call has its own Call (own id, own state); the parties of one
call share a Conn (connId, callUuid, attached data). Numbers that belong to no simulated
device are external parties, kept as plain phone numbers on the Conn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Call states.
DIALING = "Dialing"
RINGING = "Ringing"
ESTABLISHED = "Established"
HELD = "Held"
RELEASED = "Released"

# Call types (Consult is reported as Internal by 8.5.201: see versions.py).
INTERNAL = "Internal"
INBOUND = "Inbound"
OUTBOUND = "Outbound"
CONSULT = "Consult"


@dataclass(frozen=True)
class AgentState:
    """A userState as devices report it."""

    id: str
    display_name: str
    state: str
    work_mode: str | None = None


# LoggedOut, Ready, NotReady and AfterCallWork are the real server's ids and names (the
# LoggedOut id really has one lowercase letter, as 8.5.202.96 sent it); the others are made up.
LOGGED_OUT = AgentState("0F7F5003-EF26-4D13-A6Ef-D0C7EC819BEB", "Offline", "LoggedOut")
LOGGED_IN = AgentState("B6C0A1F2-3D4E-4F50-8A6B-7C8D9E0F1A2B", "Logged In", "LoggedIn")
READY = AgentState("9430250E-0A1B-421F-B372-F29E69366DED", "Ready", "Ready")
NOT_READY = AgentState("900D55CC-2BB0-431F-8BF9-D3525B383BE6", "Not Ready", "NotReady")
AFTER_CALL_WORK = AgentState("D3663509-3D82-4DD3-A82E-2EA8EFA02AEF", "After Call Work",
                             "AfterCallWork")
AUX_WORK = AgentState("6DC3A5E7-1F2B-4C8D-9E0A-B1C2D3E4F5A6", "Not Ready - Aux Work", "NotReady",
                      "AuxWork")


@dataclass(frozen=True)
class Skill:
    id: str
    name: str
    level: int


@dataclass
class Device:
    id: str
    owner_id: str
    phone_number: str
    e164_number: str
    telephony_network: str  # Private | Public
    voice_environment_id: str
    do_not_disturb: bool = False
    forward_to: str | None = None
    user_state: AgentState = LOGGED_OUT
    # An unregistered device (no SIP phone behind the DN) is "Inactive", reports no userState,
    # and T-Server refuses what is asked of it (HTTP 500 plus an ErrorMessage notification).
    registered: bool = True


@dataclass
class User:
    id: str
    user_name: str
    first_name: str
    last_name: str
    password: str
    roles: tuple[str, ...]
    contact_center_id: str
    email_address: str | None = None
    employee_id: str | None = None
    skills: list[Skill] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    channels: set[str] = field(default_factory=set)  # channels with an open contact center session


@dataclass
class Conn:
    """One telephone call as the switch sees it: every party's Call plus external numbers."""

    conn_id: str
    dnis: str
    user_data: dict[str, Any] = field(default_factory=dict)
    parties: list[Call] = field(default_factory=list)
    externals: list[str] = field(default_factory=list)

    def endpoint_count(self) -> int:
        return len(self.parties) + len(self.externals)


@dataclass(eq=False)
class Call:
    """One party's view of a call."""

    id: str
    device: Device
    conn: Conn
    state: str
    call_type: str
    started: float  # monotonic seconds, for duration
    mute: bool = False
    is_consult: bool = False
    linked: Call | None = None  # the other call of a consultation pair


@dataclass(frozen=True)
class Service:
    """A Web Services service: a connection to a backend (T-Server, Interaction Server...)."""

    id: str
    name: str
    type: str
    state: str  # Active | Inactive


class World:
    """All users, devices and live calls, with the look-ups handlers need."""

    def __init__(self, users: list[User], services: list[Service] | None = None) -> None:
        self.users = users
        self.services = services or []
        self.services_by_id = {service.id: service for service in self.services}
        self.users_by_id = {user.id: user for user in users}
        self.users_by_name = {user.user_name: user for user in users}
        self.devices_by_id = {d.id: d for user in users for d in user.devices}
        self.devices_by_number = {d.phone_number: d for user in users for d in user.devices}
        self.calls: dict[str, Call] = {}

    def owner(self, device: Device) -> User:
        return self.users_by_id[device.owner_id]

    def calls_of(self, user: User) -> list[Call]:
        device_ids = {device.id for device in user.devices}
        return [call for call in self.calls.values() if call.device.id in device_ids]
