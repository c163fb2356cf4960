"""≥ 200 hostile exchanges: what real and broken servers and clients send.

A case is either a response the upstream sends byte for byte (`route`) or a request
the client sends to the echo route (`request`), which answers with a digest of what
arrived, so a request changed in transit would change the bytes the client gets.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from dataclasses import dataclass, field

import brotli
import zstandard

from tests.support.upstream import Route

JSON_TYPE = [("Content-Type", "application/json")]


@dataclass
class Case:
    name: str
    route: Route | None = None  # served at /case/<index>
    method: str = "GET"
    path: str = ""  # request cases: the target after ECHO
    headers: list[str] = field(default_factory=list)
    body: bytes | None = None


def _json_bodies() -> list[tuple[str, bytes]]:
    valid = [b'{"statusCode":0}', b"[]", b"{}", b'"text"', b"42", b"null", b"-1.5e300",
             '{"name":"J\u00f6rg \u2603 \U0001f600"}'.encode(), b'{"a":"\\u0000\\n\\t"}',
             b'{"big":123456789012345678901234567890}']
    invalid = [b'{"statusCode":0,', b"{", b"}", b"[[[", b"{'a':1}", b'{"a":1,}', b"{a:1}",
               b'{"a":undefined}', b"// c\n{}", b'{"a":"\x01\x02"}', b'{"s":"\\ud800"}',
               b"\xef\xbb\xbf{}", b"{}{}", b'{"a":1}\x00', b"<html>not json</html>",
               b'{"a":' * 3, b'{"password":"Hostile-Pw-1",']
    odd = [b'{"v":NaN}', b'{"v":Infinity}', b'{"v":-Infinity}', b'{"a":1,"a":2}',
           b'{"password":"x","password":"y"}', b'{"a":{"b":1},"a":[]}']
    return ([(f"json-valid-{i}", b) for i, b in enumerate(valid)]
            + [(f"json-invalid-{i}", b) for i, b in enumerate(invalid)]
            + [(f"json-odd-{i}", b) for i, b in enumerate(odd)])


def _encoded() -> list[tuple[str, str, bytes]]:
    data = json.dumps({"statusCode": 0, "items": list(range(500))}).encode()
    gz = gzip.compress(data)
    zst = zstandard.ZstdCompressor().compress(data)
    return [
        ("gzip", "gzip", gz), ("x-gzip", "x-gzip", gz), ("GZIP-upper", "GZIP", gz),
        ("gzip-truncated-10", "gzip", gz[:10]), ("gzip-truncated-half", "gzip", gz[: len(gz) // 2]),
        ("gzip-truncated-tail", "gzip", gz[:-4]), ("gzip-lying", "gzip", data),
        ("gzip-empty", "gzip", b""), ("gzip-twice", "gzip, gzip", gzip.compress(gz)),
        ("deflate-zlib", "deflate", zlib.compress(data)), ("deflate-raw", "deflate",
                                                          zlib.compress(data)[2:-4]),
        ("deflate-garbage", "deflate", b"\x00garbage"), ("br", "br", brotli.compress(data)),
        ("br-garbage", "br", b"\xff" * 40), ("zstd", "zstd", zst), ("zstd-garbage", "zstd", b"\x28\xb5"),
        ("unknown-snappy", "snappy", data), ("identity", "identity", data),
        ("gzip-br-chain", "gzip, br", brotli.compress(gz)), ("gzip-then-lying", "br, gzip", gz),
    ]


def response_cases() -> list[Case]:
    rng = random.Random(7)
    cases = [Case(name, (200, JSON_TYPE, body)) for name, body in _json_bodies()]
    cases += [Case(f"enc-{name}", (200, JSON_TYPE + [("Content-Encoding", enc)], body))
              for name, enc, body in _encoded()]
    for size in (1, 100, 10_000, 1_000_000):
        blob = rng.randbytes(size)
        cases.append(Case(f"binary-{size}", (200, [("Content-Type", "application/octet-stream")],
                                             blob)))
        cases.append(Case(f"binary-as-json-{size}", (200, JSON_TYPE, blob)))
    cases.append(Case("png", (200, [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n" + bytes(64))))
    texts = {"latin1": "Jörg Sippola ÿ".encode("latin-1"),
             "utf16": '{"a":"b"}'.encode("utf-16"), "cp1252": "naïve – ok".encode("cp1252"),
             "bad-utf8": b'{"name":"\xc3\x28\xa0\xa1"}', "overlong": b'{"n":"\xc0\xaf"}',
             "lone-continuation": b"\x80\x80\x80"}
    cases += [Case(f"text-{k}", (200, JSON_TYPE, v)) for k, v in texts.items()]
    cases += [Case(f"empty-{s}", (s, JSON_TYPE, b"")) for s in (200, 201, 400, 404, 500)]
    cases.append(Case("empty-no-type", (200, [], b"")))
    cases.append(Case("no-type-json", (200, [], b'{"statusCode":0}')))
    cases += _big_cases()
    cases += _typed_cases()
    cases += [Case(f"status-{s}", (s, JSON_TYPE, json.dumps({"statusCode": s % 21}).encode()))
              for s in (200, 201, 202, 203, 206, 301, 302, 400, 401, 403, 404, 405, 409, 418,
                        422, 429, 500, 501, 502, 503, 504, 599)]
    cases += _header_cases()
    return cases


def _big_cases() -> list[Case]:
    array = [{"id": i, "name": f"n{i}"} for i in range(10_000)]
    return [
        Case("array-10000-objects", (200, JSON_TYPE, json.dumps(array).encode())),
        Case("array-10000-ints", (200, JSON_TYPE, json.dumps(list(range(10_000))).encode())),
        Case("array-10000-mixed", (200, JSON_TYPE, json.dumps(
            [i if i % 3 else str(i) if i % 2 else None for i in range(10_000)]).encode())),
        Case("deep-100000-arrays", (200, JSON_TYPE, b"[" * 100_000 + b"]" * 100_000)),
        Case("deep-100000-objects", (200, JSON_TYPE, b'{"a":' * 100_000 + b"1" + b"}" * 100_000)),
        Case("wide-10000-keys", (200, JSON_TYPE, json.dumps(
            {f"k{i}": i for i in range(10_000)}).encode())),
    ]


def _typed_cases() -> list[Case]:
    body = b'{"statusCode":0}'
    types = ["application/json; charset=ebcdic", ";;;", "application/vnd.api+json",
             "text/html", "application/xml", "multipart/mixed; boundary=x", "text/plain",
             "APPLICATION/JSON", "application/json;charset=", "*/*", "application/problem+json"]
    cases = [Case(f"type-{i}", (200, [("Content-Type", t)], body)) for i, t in enumerate(types)]
    cases.append(Case("html-script", (200, [("Content-Type", "text/html")],
                                      b"<script>alert(1)</script><img src=x onerror=alert(2)>")))
    return cases


def _header_cases() -> list[Case]:
    body = b'{"statusCode":0}'
    many = [(f"X-H{i}", str(i)) for i in range(100)]
    cookies = [("Set-Cookie", f"c{i}=v{i}; Path=/") for i in range(20)]
    sets = {
        "long-value": [("X-Long", "v" * 8000)], "many": many, "duplicates": [("X-D", "1")] * 5,
        "latin1-value": [("X-L", "caf\xe9")], "cookies": cookies,
        "spaces": [("X-S", "  a  b  ")], "location": [("Location", "/api/v2/me")],
        "www-auth": [("WWW-Authenticate", 'Basic realm="gws"')],
        "csrf": [("X-CSRF-HEADER", "X-CSRF-TOKEN"), ("X-CSRF-TOKEN", "tok-1")],
        "empty-value": [("X-Empty", "")],
    }
    cases = [Case(f"header-{k}", (200, JSON_TYPE + v, body)) for k, v in sets.items()]
    chunked = b"5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n"
    cases.append(Case("chunked", (200, JSON_TYPE + [("Transfer-Encoding", "chunked")], chunked)))
    cases.append(Case("chunked-ext", (200, JSON_TYPE + [("Transfer-Encoding", "chunked")],
                                      b"3;x=y\r\n[1]\r\n0\r\n\r\n")))
    return cases


def request_cases() -> list[Case]:
    cases = [
        Case("url-2100-path", path="/" + "p" * 2100), Case("url-2100-query", path="?q=" + "x" * 2100),
        Case("url-8000", path="/" + "a/" * 4000),
    ]
    paths = ["/%00", "/%ff", "/%2e%2e/x", "/..%2fetc", "/a\\b", "/%C3%BC", "//double",
             "/a;b=c", "/%2F", "/<script>alert(1)</script>", "/'\"`", "/%25%25", "/~user",
             "/a b".replace(" ", "%20"), "/CON", "/" + "x" * 300]
    cases += [Case(f"path-{i}", path=p) for i, p in enumerate(paths)]
    queries = ["?a=1&a=2", "?flag", "?=v", "?&&&", "?a=%zz", "?u=%C3%BC", "?p=a+b",
               "?access_token=Hostile-Tok-1", "?fields=*&subresources=*", "?x=%00", "?" + "k=v&" * 200]
    cases += [Case(f"query-{i}", path=q) for i, q in enumerate(queries)]
    bodies = {
        "json-op": b'{"operationName":"NotReady"}', "invalid": b'{"operationName":',
        "binary": bytes(range(256)), "latin1": "Jörg".encode("latin-1"), "empty": b"",
        "large": b'{"d":"' + b"x" * 1_000_000 + b'"}', "deep": b"[" * 100_000 + b"]" * 100_000,
        "array": json.dumps(list(range(10_000))).encode(), "nan": b'{"v":NaN}',
        "dupes": b'{"a":1,"a":2}', "password": b'{"password":"Hostile-Pw-2"}',
    }
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        cases += [Case(f"{method}-{k}", method=method, body=v, path=f"/{k}",
                       headers=["Content-Type: application/json"]) for k, v in bodies.items()]
    gz = gzip.compress(b'{"operationName":"Ready"}')
    cases.append(Case("req-gzip", method="POST", body=gz, path="/gz",
                      headers=["Content-Type: application/json", "Content-Encoding: gzip"]))
    cases.append(Case("req-gzip-lying", method="POST", body=b"{}", path="/gzl",
                      headers=["Content-Type: application/json", "Content-Encoding: gzip"]))
    headers = [["Authorization: Bearer Hostile-Bearer-1"], ["Authorization: Basic !!notb64"],
               ["Authorization: Basic " + "a3NpcHBv"], ["Cookie: a=b; c"], ["X-Many: 1"] * 50,
               ["X-Long: " + "y" * 6000], ["Accept: */*;q=0.1"], ["Content-Type: ;;;"],
               ["X-Weird_Name.1: v"], ["Accept-Encoding: gzip, br, zstd"]]
    cases += [Case(f"req-header-{i}", path=f"/h{i}", headers=h) for i, h in enumerate(headers)]
    cases += [Case(f"method-{m}", method=m, path=f"/m{m}") for m in ("OPTIONS", "DELETE", "PUT")]
    return cases


def all_cases() -> list[Case]:
    return response_cases() + request_cases()
