"""wsdoc's OpenAPI extensions (`x-wsdoc-*`): their names and the two that carry events.

Written by docgen.publish.openapi and read back by docgen.drift (contracts, diff), so a
contract written by one wsdoc version is understood by the checks of the same version.
Schema-level keywords (`x-wsdoc-seen`, `-note`, `-depth-limit`) are the inference's own
(docgen.infer.schema.settings) and are re-exported here for readers of documents.
"""

from __future__ import annotations

from typing import Any

from docgen.infer.model import Endpoint, NotificationsDoc
from docgen.infer.schema.settings import X_DEPTH, X_NOTE, X_SEEN

__all__ = ["X_DEPTH", "X_NOTE", "X_SEEN"]

X_SAMPLES = "x-wsdoc-samples"  # exchanges behind an operation object
X_OPERATIONS = "x-wsdoc-operations"  # the discriminator values of an operation-style endpoint
X_OPERATION_STATUSES = "x-wsdoc-operation-statuses"  # {"SetMuteOn": ["400"], ...}
X_OUTCOMES = "x-wsdoc-outcomes"  # profile outcome codes (Web Services statusCode) per response
X_EVENTS = "x-wsdoc-events"  # what followed each operation on the notification channel
X_NOTIFICATIONS = "x-wsdoc-notifications"  # channels and their message schemas (document)
X_SKIPPED = "x-wsdoc-skipped"  # endpoints left out of the document, and why


def events_extension(endpoint: Endpoint) -> list[dict[str, Any]]:
    """`x-wsdoc-events` of an OpenAPI operation: per operation name, what followed it."""
    extension = []
    for operation in endpoint.operations:
        if not (operation.events or operation.events_note or operation.events_observed):
            continue
        entry: dict[str, Any] = {"operation": operation.name,
                                 "observed": operation.events_observed}
        if operation.events_note:
            entry["note"] = operation.events_note
        entry["events"] = [{
            "channel": event.channel, "messageType": event.message_type,
            **({"notificationType": event.notification_type}
               if event.notification_type else {}),
            "samples": event.samples, "messages": event.count, "states": event.states,
            **({"medianDelayMs": event.delay_ms} if event.delay_ms is not None else {}),
        } for event in operation.events]
        entry["sequences"] = [{
            "count": sequence.count,
            "steps": [{"messageType": step.message_type,
                       "notificationType": step.notification_type, "states": list(step.states)}
                      for step in sequence.steps],
        } for sequence in operation.event_sequences]
        extension.append(entry)
    return extension


def notifications_extension(doc: NotificationsDoc) -> dict[str, Any]:
    """`x-wsdoc-notifications` of the OpenAPI document: channels and message schemas."""
    return {
        "path": doc.path, "windowSeconds": doc.window_s,
        "channels": {channel.channel: [{
            "messageType": message.message_type,
            **({"notificationType": message.notification_type}
               if message.notification_type else {}),
            "count": message.count,
            "schema": message.data.schema if message.data and message.data.schema else {},
        } for message in channel.messages] for channel in doc.channels},
    }
