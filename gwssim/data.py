"""Seeded, deterministic directory data: users, devices, skills, services.

The same seed always gives the same ids. ksippo (the user of the documentation's examples)
comes first with the documentation's exact id and an empty password; every other user's
password is `OTHER_USERS_PASSWORD`. Some users have no emailAddress or employeeId, so those
optional fields really are optional in the recorded traffic. ksippo also has a second,
unregistered device (a WebRTC phone that never registered): operations on it fail as they
do on the real server, with an ErrorMessage notification.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from gwssim.catalog import PROVISIONING_SERVICE_ID
from gwssim.ids import seeded_hex32, seeded_uuid
from gwssim.model import Device, Service, Skill, User, World

KSIPPO_ID = "63630bbebf4840d7a0bffd6312bc29ff"
OTHER_USERS_PASSWORD = "password"
SKILL_NAMES = ("Sales", "Support", "Billing", "Spanish", "Retention", "VIP")
EXTERNAL_AREA = "+1415555"  # e164 prefix of the simulated site's extensions
UNREGISTERED_OFFSET = 100  # ksippo's unregistered device: extension 5001 + 100


@dataclass(frozen=True)
class UserSeed:
    user_name: str
    first_name: str
    last_name: str
    email_address: str | None
    roles: tuple[str, ...]
    employee_id: str | None
    extra_public_device: str | None = None  # a second, public-network number


USER_SEEDS: tuple[UserSeed, ...] = (
    UserSeed("ksippo", "Kristi", "Sippola", None, ("ROLE_AGENT",), None),
    UserSeed("amiller", "Anna", "Miller", "anna.miller@example.com", ("ROLE_AGENT",), "E1002"),
    UserSeed("bchen", "Bo", "Chen", None, ("ROLE_AGENT",), "E1003"),
    UserSeed("dpatel", "Dev", "Patel", "dev.patel@example.com", ("ROLE_AGENT",), None),
    UserSeed("erossi", "Elena", "Rossi", "elena.rossi@example.com",
             ("ROLE_AGENT", "ROLE_SUPERVISOR"), "E1005", extra_public_device="4155550195"),
    UserSeed("fnakamura", "Fumiko", "Nakamura", None, ("ROLE_AGENT",), None),
    UserSeed("golsen", "Greg", "Olsen", "greg.olsen@example.com", ("ROLE_SUPERVISOR",), "E1007"),
)


def build_world(seed: int) -> World:
    """The whole directory for this seed."""
    rng = random.Random(seed)
    contact_center_id = seeded_uuid(rng)
    voice_environment_id = seeded_uuid(rng)  # one site: every device is in it
    skill_ids = {name: seeded_uuid(rng) for name in SKILL_NAMES}
    users = []
    for index, user_seed in enumerate(USER_SEEDS):
        user_id = KSIPPO_ID if index == 0 else seeded_hex32(rng)
        user = _make_user(user_seed, user_id, contact_center_id)
        user.skills = _pick_skills(rng, skill_ids, must_have_sales=index == 0)
        user.devices = _make_devices(rng, user_seed, user_id, 5001 + index, voice_environment_id)
        users.append(user)
    # Own generators, so these additions leave every id above as it was.
    extra = random.Random(f"gwssim-extra-{seed}")
    first = users[0]
    number = str(int(first.devices[0].phone_number) + UNREGISTERED_OFFSET)
    first.devices.append(Device(seeded_uuid(extra), first.id, number, EXTERNAL_AREA + number,
                                "Private", voice_environment_id, registered=False))
    return World(users, _make_services(extra, voice_environment_id))


def _make_services(rng: random.Random, voice_environment_id: str) -> list[Service]:
    """The services of the real server's list: the voice service is the voice environment;
    no Interaction Server or UCS runs beside the simulator, so those are Inactive."""
    return [
        Service(PROVISIONING_SERVICE_ID, "Provisioning", "Provisioning", "Active"),
        Service(voice_environment_id, "SIP_Switch", "Voice", "Active"),
        Service(seeded_uuid(rng), "InteractionServer", "MultiMediaState", "Inactive"),
        Service(seeded_uuid(rng), "UCS", "MultiMediaContent", "Inactive"),
    ]


def _make_user(user_seed: UserSeed, user_id: str, contact_center_id: str) -> User:
    password = "" if user_seed.user_name == "ksippo" else OTHER_USERS_PASSWORD
    return User(
        id=user_id,
        user_name=user_seed.user_name,
        first_name=user_seed.first_name,
        last_name=user_seed.last_name,
        password=password,
        roles=user_seed.roles,
        contact_center_id=contact_center_id,
        email_address=user_seed.email_address,
        employee_id=user_seed.employee_id,
    )


def _pick_skills(rng: random.Random, skill_ids: dict[str, str],
                 must_have_sales: bool) -> list[Skill]:
    names = rng.sample(SKILL_NAMES, rng.randint(1, 3))
    if must_have_sales and "Sales" not in names:
        names[0] = "Sales"  # so the documented `skills.name=Sales` filter finds someone
    return [Skill(skill_ids[name], name, rng.randint(1, 10)) for name in names]


def _make_devices(rng: random.Random, user_seed: UserSeed, user_id: str, extension: int,
                  voice_environment_id: str) -> list[Device]:
    number = str(extension)
    devices = [Device(seeded_uuid(rng), user_id, number, EXTERNAL_AREA + number, "Private",
                      voice_environment_id)]
    if user_seed.extra_public_device:
        public = user_seed.extra_public_device
        devices.append(Device(seeded_uuid(rng), user_id, public, "+1" + public, "Public",
                              voice_environment_id))
    return devices
