"""Rebuild a runnable `curl` command from a recorded (redacted) request.

Follows mitmproxy's export rules (mitmproxy/addons/export.py `curl_command`): `-X METHOD`
unless the method is GET, one `-H` per header, `--compressed` instead of Accept-Encoding,
no Content-Length and no Host, `-d` with the body, every argument quoted with
`shlex.quote`. On top of that, for documentation:

* The URL is the recorded request's own scheme and host, or a base URL when one is given
  (`base_url` in the config, `--base-url`; `wsdoc demo` uses `http://localhost:8090`).
* Headers curl sends by itself or that say nothing about the API are dropped: Host,
  Content-Length, Connection, Accept-Encoding, `Accept: */*`, curl's own User-Agent.
* Secrets the recorder masked (docgen.redact.MASK) become shell variables, written so
  the shell expands them: `-u "amiller:$PASSWORD"`, `-H "X-CSRF-TOKEN: $CSRF_TOKEN"`,
  `-H "Cookie: JSESSIONID=$JSESSIONID"`, `?access_token=$ACCESS_TOKEN`. Export the
  variables and the command runs as is. An empty Basic password was recorded as is and
  stays `-u ksippo:`. Literal text around a variable is quoted so only our `$NAME`
  expands (single quotes spliced with `"$NAME"` when the text has `"`, `$`, `` ` ``...).
* A GET with a body gets `-X GET` (curl would otherwise send POST), a HEAD uses `--head`,
  a body that was not kept, is not UTF-8 or is over 64 KiB becomes
  `--data-binary @request-body` (the reader supplies the file), a body starting with `@`
  uses `--data-raw` (curl reads `-d @x` from file x), a body with control characters is
  written with bash's `$'...'` quoting so no byte is lost, and a URL with `[]{}` gets
  `--globoff` (curl would expand them as globs, and the recorder's mask is `[REDACTED]`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import quote

from docgen.capture.record import Exchange, decode_basic, is_basic
from docgen.capture.redact import MASK

DEFAULT_BASE_URL = "http://localhost:8090"
DROPPED_HEADERS = frozenset(
    {"host", "content-length", "connection", "accept-encoding", "keep-alive",
     "proxy-connection", "te", "transfer-encoding", "upgrade", "expect"}
)
MAX_INLINE_BODY = 64 * 1024  # larger bodies are read from a file, not pasted into the page
BODY_FILE = "@request-body"  # what curl reads instead of a body that is not shown inline
SHORT_COMMAND = 80  # characters; longer commands get one option per line
FLAGS = ("--compressed", "--head", "--globoff")  # options without a value
QUERY_SAFE = "*,:@/!$'()~;"  # kept readable in query values (all legal in a query)
_VARIABLE_CHARS = re.compile(r"[^A-Z0-9_]+")
# Characters that keep their literal meaning inside double quotes in bash.
_DOUBLE_QUOTE_UNSAFE = re.compile(r"[\"\\$`!\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Var:
    """A placeholder the reader exports before running the command: `$NAME`."""

    name: str


Word = tuple[str | Var, ...]  # one shell argument: literal pieces and variables


@dataclass
class CurlCommand:
    """A curl command as shell words, plus the variables it expects to be set."""

    words: list[Word] = field(default_factory=list)

    @property
    def variables(self) -> list[str]:
        names = [p.name for w in self.words for p in w if isinstance(p, Var)]
        return list(dict.fromkeys(names))

    def render(self, multiline: bool = True) -> str:
        """The command line; one option per line (with `\\` continuations) when multiline."""
        args = [shell_word(word) for word in self.words]
        one_line = " ".join(args)
        if not multiline or len(one_line) <= SHORT_COMMAND:
            return one_line
        lines: list[str] = [args[0]]
        index = 1
        while index < len(args):
            takes_value = args[index].startswith("-") and index + 1 < len(args) and args[
                index] not in FLAGS
            step = 2 if takes_value else 1
            lines.append("  " + " ".join(args[index:index + step]))
            index += step
        return " \\\n".join(lines)


def variable_name(hint: str) -> str:
    """An environment variable name from an untrusted hint: 'X-Api-Key' -> 'X_API_KEY'."""
    name = _VARIABLE_CHARS.sub("_", hint.upper()).strip("_")[:40]
    if not name or name[0].isdigit():
        name = f"SECRET_{name}".rstrip("_")
    return name


def shell_word(word: Word) -> str:
    """Quote one argument so the shell passes literals as is and expands only our Vars."""
    word = merged(word)
    literals = "".join(p for p in word if isinstance(p, str))
    if not any(isinstance(p, Var) for p in word):
        return ansi_c_quote(literals) if _has_control(literals) else shlex.quote(literals)
    if not _DOUBLE_QUOTE_UNSAFE.search(literals):
        inner = "".join(p if isinstance(p, str) else f"${p.name}" for p in word)
        return f'"{inner}"'
    # Unusual literals: single-quote them and splice the variables in double quotes.
    return "".join(
        (ansi_c_quote(p) if _has_control(p) else shlex.quote(p)) if isinstance(p, str)
        else f'"${p.name}"'
        for p in word if p != ""
    )


def merged(word: Word) -> Word:
    """Adjacent literal pieces joined, empty ones dropped."""
    pieces: list[str | Var] = []
    for piece in word:
        if isinstance(piece, str) and pieces and isinstance(pieces[-1], str):
            pieces[-1] += piece
        elif piece != "":
            pieces.append(piece)
    return tuple(pieces)


def _has_control(value: str) -> bool:
    return any(ord(c) < 0x20 and c not in "\n\t" or ord(c) == 0x7F for c in value)


def ansi_c_quote(value: str) -> str:
    """bash `$'...'` quoting: exact bytes, control characters visible as \\xNN."""
    out = []
    for char in value:
        if char in "\\'":
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return "$'" + "".join(out) + "'"


def with_vars(value: str, name: str) -> Word:
    """Split a value on the recorder's mask, putting `$name` where the secret was."""
    pieces = value.split(MASK)
    word: list[str | Var] = [pieces[0]]
    for piece in pieces[1:]:
        word += [Var(name), piece]
    return tuple(w for w in word if w != "")


def basic_user(value: str) -> Word | None:
    """`-u` argument for a recorded Basic header; None when it is not Basic."""
    if not is_basic(value):
        return None
    decoded = decode_basic(value)
    if decoded is None:
        return (Var("USERNAME"), ":", Var("PASSWORD"))
    user, _, password = decoded.partition(":")
    if password == MASK:
        return (user + ":", Var("PASSWORD"))
    return (decoded,)  # recorded unmasked: an empty password (`-u ksippo:`)


def header_words(name: str, value: str) -> list[Word]:
    """The curl arguments for one recorded header (none when it is dropped)."""
    lower = name.lower()
    if lower in DROPPED_HEADERS or lower.startswith(":"):
        return []
    if lower == "accept" and value.strip() == "*/*" or (
        lower == "user-agent" and value.startswith("curl/")
    ):
        return []
    if lower == "authorization" and (user := basic_user(value)) is not None:
        return [("-u",), user]
    if lower == "cookie":
        return [("-H",), (f"{name}: ", *cookie_word(value))]
    hint = "TOKEN" if lower == "authorization" else re.sub(r"(?i)^x-", "", name)
    return [("-H",), with_vars(f"{name}: {value}", variable_name(hint))]


def cookie_word(value: str) -> Word:
    """Cookie pairs with masked values as `$NAME` variables named after each cookie."""
    word: list[str | Var] = []
    for index, part in enumerate(value.split(";")):
        prefix = ";" if index else ""
        cookie, sep, cookie_value = part.partition("=")
        if sep and cookie_value == MASK:
            word += [f"{prefix}{cookie}=", Var(variable_name(cookie))]
        else:
            word.append(prefix + part)
    return tuple(w for w in word if w != "")


def target_url(ex: Exchange, base_url: str | None = None) -> Word:
    """Base URL (else the recorded scheme and host) + the recorded path + the query,
    re-encoded; masked values as variables."""
    origin = base_url or ex.origin
    word: list[str | Var] = [origin.rstrip("/") + ex.path]
    for index, (key, value) in enumerate(ex.query):
        word.append(("?" if index == 0 else "&") + quote(key, safe=QUERY_SAFE) + "=")
        if value == MASK:
            word.append(Var(variable_name(key)))
        else:
            word.append(quote(value, safe=QUERY_SAFE))
    return tuple(w for w in word if w != "")


def body_words(ex: Exchange) -> list[Word]:
    """`-d BODY` for a kept text body; a file placeholder when the body was not kept, is
    binary or too long to show."""
    body = ex.request_body
    if body.content is None:
        return [("--data-binary",), (BODY_FILE,)] if body.size else []
    if not body.content:
        return []
    try:
        payload = body.content.decode("utf-8")
    except UnicodeDecodeError:
        return [("--data-binary",), (BODY_FILE,)]
    if len(payload) > MAX_INLINE_BODY:
        return [("--data-binary",), (BODY_FILE,)]
    option = "--data-raw" if payload.startswith("@") else "-d"
    return [(option,), (payload,)]


def curl_command(ex: Exchange, base_url: str | None = None) -> CurlCommand:
    """The curl command that repeats this recorded request against `base_url`, else
    against the host it was recorded from."""
    words: list[Word] = [("curl",)]
    body = body_words(ex)
    if ex.method == "HEAD":
        words.append(("--head",))
    elif ex.method != "GET" or body:
        words += [("-X",), (ex.method,)]
    url = target_url(ex, base_url)
    if any(c in p for p in url if isinstance(p, str) for c in "[]{}"):
        words.append(("--globoff",))  # curl would read [] and {} as URL globbing
    words.append(url)
    compressed = False
    user: list[Word] = []  # -u first after the URL, as in the Web Services docs
    headers: list[Word] = []
    for name, value in ex.request_headers:
        if name.lower() == "accept-encoding" and value.strip().lower() not in ("", "identity"):
            compressed = True
        found = header_words(name, value)
        (user if found[:1] == [("-u",)] and not user else headers).extend(found)
    words += user + headers
    if compressed:
        words.append(("--compressed",))
    return CurlCommand(words + body)
