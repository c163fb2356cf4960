"""Fixed configuration the simulated contact center shares: features, T-Server DN settings.

Names and descriptions are those a real Web Services 8.5.202.96 server reported
(tests/fixtures/real-gws/get_me.json, device_settings_tserver.json).
"""

from __future__ import annotations

# (id, displayName, description) of the features every user of the contact center has.
FEATURES: tuple[tuple[str, str, str], ...] = (
    ("api-voice-instant-messaging", "API Voice Instant Messaging",
     "API for Internal Agent-to-Agent Chat"),
    ("api-provisioning-read", "API Provisioning Read", "General provisioning read"),
    ("api-multimedia-email", "Multimedia Email API", "API for Multimedia Email"),
    ("api-devices-webrtc", "WebRTC Support", "API for WebRTC provisioning"),
    ("api-voice-predictive-calls", "Voice API - Predictive calls",
     "Enables predictive calls for a contact center"),
    ("api-supervisor-monitoring", "API Supervisor Monitoring",
     "API for Supervisors to Monitor Agents"),
    ("api-user-account-management-email", "User Account Management via Email",
     "API for account management via email"),
    ("api-platform-configuration-write", "Platform Configuration API - write",
     "Low-level configuration API"),
    ("api-voice", "Voice API", "API for Voice"),
    ("api-voice-outbound", "Voice API Outbound", "API for Outbound"),
    ("api-multimedia-workitem", "Multimedia Workitem API", "API for Multimedia Workitem"),
    ("api-provisioning-write", "API Provisioning Write", "General provisioning write"),
    ("api-multimedia-chat", "Multimedia Chat API", "API for Multimedia Chat"),
    ("api-supervisor-agent-control", "API Supervisor Agent Control",
     "API for Supervisors to Control Agent State"),
    ("api-platform-configuration-read", "Platform Configuration API - read",
     "Low-level configuration API"),
)

# The T-Server options of a DN (`/devices/{id}/settings/tserver`): every value is a string.
TSERVER_SETTINGS: tuple[tuple[str, str], ...] = (
    ("make-call-rfc3725-flow", "1"),
    ("record", "false"),
    ("recovery-timeout", "3"),
    ("refer-enabled", "false"),
    ("reinvite-requires-hold", "false"),
    ("reject-call-incall", "true"),
    ("reject-call-notready", "true"),
    ("ring-tone-on-make-call", "true"),
    ("sip-cti-control", "talk,hold,beep,dtmf"),
    ("sip-ring-tone-mode", "1"),
    ("transfer-complete-by-refer", "false"),
    ("contact", "*"),
)

SWITCH_NAME = "SIP_Switch"  # the switch every simulated DN is on (contacts' phoneNumbers)
PROVISIONING_SERVICE_ID = "ON_PREMISE_ENVIRONMENT"  # the real server's id for it

# Notification `extensions` (T-Server's AttributeExtensions) by call state; other states
# carry only BusinessCall. Ringing also names the calling DN (added when rendered).
RINGING_EXTENSIONS = {"NO_ANSWER_ACTION": "notready", "BusinessCall": 1,
                      "OriginationDN_location": SWITCH_NAME, "NO_ANSWER_TIMEOUT": 15,
                      "NO_ANSWER_OVERFLOW": "recall"}
ESTABLISHED_EXTENSIONS = {"BusinessCall": 1, "WrapUpTime": 20}
OTHER_EXTENSIONS = {"BusinessCall": 1}
