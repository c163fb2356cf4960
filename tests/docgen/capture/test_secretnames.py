"""Secret names by words: the last word decides, predicates make flags, plurals are lists."""

from __future__ import annotations

import pytest

from docgen.capture.secretnames import plural_secret, secret_head, words


def test_words_split_every_naming_style() -> None:
    assert words("sessionIdleTimeoutMinutes") == ["session", "idle", "timeout", "minutes"]
    assert words("X-Hub-Signature-256") == ["x", "hub", "signature", "256"]
    assert words("atlassian.xsrf.token") == ["atlassian", "xsrf", "token"]
    assert words("JSESSIONID") == ["jsessionid"]
    assert words("access_tokens_url") == ["access", "tokens", "url"]


@pytest.mark.parametrize("name, head", [
    ("password", "password"), ("newPassword", "password"), ("api_key", "key"),
    ("x-api-key", "key"), ("apiKey", "key"), ("otpCode", "code"), ("session_id", "id"),
    ("JSESSIONID", "jsessionid"), ("Authorization", "authorization"),
    ("X-Hub-Signature-256", "signature"), ("encoded_jit_config", "config"),
])
def test_secret_names(name: str, head: str) -> None:
    assert secret_head(name) == head


@pytest.mark.parametrize("name", [
    "passwordChanged", "session_count", "shipping", "footprint", "pinned_at", "passport",
    "access_tokens_url", "token_type", "public_key", "hide_secret", "can_sign",
    "authorization_method", "spinner", "keyId", "secrets",
])
def test_names_that_only_look_secret(name: str) -> None:
    assert secret_head(name) is None


def test_plural_names_are_lists_of_secret_things() -> None:
    assert plural_secret("secrets") and plural_secret("completed_sessions")
    assert not plural_secret("revokeSessions")  # a flag: what to do with sessions
    assert not plural_secret("secret") and not plural_secret("hide_secrets")
