"""Run a built site's examples as a reader would: the Authentication page's "first requests"
block in bash (log in, export every placeholder), then each curl example in the same shell
environment, or each Python (`requests`) example with that environment."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass

_TAG = re.compile(r"<[^>]+>")
_REQUEST = re.compile(r'<div class="admonition wsdoc-request">')
_RESPONSE = re.compile(r'<div class="admonition wsdoc-response">\s*<p class="admonition-title">'
                       r"Response: HTTP (\d{3})")
_CODE = r'<div class="language-{}[^"]*highlight"><pre[^>]*>.*?<code>(.*?)</code>'
_BASH = re.compile(_CODE.format("bash"), re.DOTALL)
_PYTHON = re.compile(_CODE.format("python"), re.DOTALL)
_USER = re.compile(r'-u "?([A-Za-z0-9_.-]+):')
TIMEOUT = 30


def code_text(block: str) -> str:
    return html.unescape(_TAG.sub("", block)).strip()


@dataclass
class Example:
    curl: str
    python: str
    status: int  # the recorded status shown beside it
    recorded_only: bool  # the page marks an id that only existed while recording

    @property
    def user(self) -> str:
        match = _USER.search(self.curl)
        return match.group(1) if match else "ksippo"


def page_examples(page_html: str) -> list[Example]:
    """Every request/response pair of a built page, in page order."""
    found = []
    starts = [m.start() for m in _REQUEST.finditer(page_html)]
    for start in starts:
        response = _RESPONSE.search(page_html, start)
        assert response is not None, "a request without its response"
        segment = page_html[start:response.start()]
        curl, python = _BASH.findall(segment), _PYTHON.findall(segment)
        assert len(curl) == 1 and len(python) == 1, segment[:300]
        found.append(Example(code_text(curl[0]), code_text(python[0]),
                             int(response.group(1)), "wsdoc-recorded-id" in segment))
    return found


def first_requests(auth_html: str) -> list[str]:
    """The bash blocks under "First requests" on the Authentication page: the login, then
    (Web Services) the command that starts a contact center session."""
    section = auth_html.split('id="first-requests"', 1)[1]
    blocks = [code_text(block) for block in _BASH.findall(section)]
    assert blocks, "no first-requests block"
    return blocks


def password_of(user: str) -> str:
    return "" if user == "ksippo" else "password"  # gwssim's users


def session_env(block: str, user: str, workdir: str) -> dict[str, str]:
    """The environment after running the block as `user` in a fresh shell."""
    env = {**os.environ, "USERNAME": user, "PASSWORD": password_of(user)}
    done = subprocess.run(["bash", "-c", f"{block}\nenv -0"], capture_output=True,
                          timeout=TIMEOUT, check=True, env=env, cwd=workdir)
    pairs = [item.split("=", 1) for item in done.stdout.decode().split("\0") if "=" in item]
    return dict(pairs)


def run_curl(command: str, env: dict[str, str]) -> int:
    done = subprocess.run(["bash", "-c", command + " -s -o /dev/null -w '%{http_code}'"],
                          capture_output=True, text=True, timeout=TIMEOUT, check=False, env=env)
    return int(done.stdout or 0)


def run_python(sample: str, env: dict[str, str]) -> int:
    done = subprocess.run([sys.executable, "-c", sample], capture_output=True, text=True,
                          timeout=TIMEOUT, check=False, env=env)
    first = done.stdout.split(" ", 1)[0]
    return int(first) if first.isdigit() else 0
