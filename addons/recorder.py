"""wsdoc's mitmproxy addon: record every completed exchange, redacted, into the store.

    mitmdump -s addons/recorder.py --mode reverse:http://127.0.0.1:8090 \
        --set wsdoc_store=wsdoc.sqlite

Hooks stay thin: on the event loop we only snapshot the flow and queue it; decoding,
redaction and the SQLite write happen on the store's writer thread. With the default
`wsdoc_durability=sync` the response is released to the client only once its record is
committed, so a response the client saw survives `kill -9` of the proxy.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from functools import partial

from mitmproxy import exceptions, flowfilter, http
from mitmproxy.addonmanager import Loader

from docgen.capture.record import Exchange
from docgen.capture.redact import RedactionError, Redactor
from docgen.capture.snapshot import FlowSnapshot, snapshot, to_exchange
from docgen.capture.writer import StoreWriter
from docgen.drift.live import LiveChecker
from docgen.errors import WsdocError

log = logging.getLogger(__name__)

DURABILITY = {"sync": "NORMAL", "fsync": "FULL", "async": "NORMAL"}
COMMIT_WAIT_S = 30.0  # never hold a response longer than this for a slow disk
# async durability: how long the writer waits for a batch to fill. No response waits for
# it, and fewer, larger commits leave the event loop more of the GIL than sync's.
ASYNC_LINGER_S = 0.02
RECORDED_MARK = "wsdoc_recorded"
DEFAULT_MAX_BODY = 10 * 1024 * 1024


class Recorder:
    def __init__(self) -> None:
        self.writer: StoreWriter | None = None
        self.matcher: flowfilter.TFilter | None = None
        self.redactor = Redactor()
        self.max_body = DEFAULT_MAX_BODY
        self.durability = "sync"
        self.recorded = 0
        self.skipped = 0
        self.redaction_failures = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.checker: LiveChecker | None = None
        self.violations_logged: set[str] = set()

    def load(self, loader: Loader) -> None:
        loader.add_option("wsdoc_store", str, "wsdoc.sqlite", "SQLite capture store to write.")
        loader.add_option(
            "wsdoc_filter", str, "",
            "Record only flows matching this mitmproxy filter expression (default: all).",
        )
        loader.add_option(
            "wsdoc_max_body", int, DEFAULT_MAX_BODY,
            "Largest decoded body kept, in bytes; larger bodies keep type and size only.",
        )
        loader.add_option(
            "wsdoc_durability", str, "sync",
            "sync: release a response once its record is committed; fsync: the same with "
            "fsync on commit; async: release at once (a crash may lose the last records).",
            choices=list(DURABILITY),
        )
        loader.add_option(
            "wsdoc_contract", str, "",
            "OpenAPI contract (e.g. from `wsdoc openapi`) to check each flow against, off "
            "the event loop; violations are logged and stored beside the record.",
        )
        loader.add_option(
            "wsdoc_redact", Sequence[str], [],
            "Extra redaction rules: a field/header/parameter name, or re:REGEX.",
        )

    def configure(self, updated: set[str]) -> None:
        from mitmproxy import ctx

        options = ctx.options
        if "wsdoc_filter" in updated:
            self.matcher = parse_filter(options.wsdoc_filter)
        if "wsdoc_max_body" in updated:
            if options.wsdoc_max_body < 0:
                raise exceptions.OptionsError("wsdoc_max_body must be >= 0")
            self.max_body = options.wsdoc_max_body
        if "wsdoc_redact" in updated:
            self.redactor = make_redactor(options.wsdoc_redact)
        if "wsdoc_contract" in updated:
            self.checker = load_checker(options.wsdoc_contract)
            if self.writer is not None:
                self.writer.annotate = self._check if self.checker else None
        if updated & {"wsdoc_store", "wsdoc_durability"}:
            if options.wsdoc_durability not in DURABILITY:
                raise exceptions.OptionsError(
                    f"wsdoc_durability must be one of {', '.join(DURABILITY)}")
            self.durability = options.wsdoc_durability
            self._open(options.wsdoc_store)

    def _open(self, path: str) -> None:
        if self.writer is not None:
            self.writer.close()
        try:
            self.writer = StoreWriter(
                path, self._prepare, DURABILITY[self.durability],
                annotate=self._check if self.checker else None, notify=self._release,
                linger=ASYNC_LINGER_S if self.durability == "async" else 0.0)
        except WsdocError as exc:
            raise exceptions.OptionsError(str(exc)) from None

    def running(self) -> None:
        self.loop = asyncio.get_running_loop()
        if self.writer:
            log.info(f"wsdoc: recording into {self.writer.path} ({self.durability} durability)")

    async def response(self, flow: http.HTTPFlow) -> None:
        await self._record(flow)

    async def error(self, flow: http.HTTPFlow) -> None:
        await self._record(flow)

    async def _record(self, flow: http.HTTPFlow) -> None:
        if self.writer is None or flow.metadata.get(RECORDED_MARK):
            return
        flow.metadata[RECORDED_MARK] = True
        if self.matcher is not None and not self.matcher(flow):
            self.skipped += 1
            return
        try:
            snap = snapshot(flow)
        except Exception as exc:  # a malformed flow must never break the traffic
            self._warn(f"wsdoc: could not read flow {flow.id}: {exc}")
            return
        if self.durability == "async":
            self.writer.submit(snap)
            return
        self.loop = self.loop or asyncio.get_running_loop()
        committed: asyncio.Future[bool] = self.loop.create_future()
        self.writer.submit(snap, partial(_resolve, committed))
        try:
            # On timeout the future is cancelled; `_resolve` skips futures already done.
            await asyncio.wait_for(committed, COMMIT_WAIT_S)
        except TimeoutError:
            self._warn(f"wsdoc: store is slow; released {flow.request.path[:80]} before commit")

    def _prepare(self, snap: FlowSnapshot) -> Exchange | None:
        """Runs on the writer thread: decode, redact; None means "store nothing"."""
        exchange = to_exchange(snap, self.max_body)
        for warning in snap.warnings:
            self._warn(f"wsdoc: {snap.method} {snap.path[:80]}: {warning} (recorded as is)")
        try:
            redacted = self.redactor.redact(exchange)
        except RedactionError as exc:
            self.redaction_failures += 1
            if self.redaction_failures == 1:
                self._warn(f"wsdoc: redaction failed, flow not stored ({exc}); "
                           "further failures are only counted")
            return None
        self.recorded += 1
        return redacted

    def _check(self, exchange: Exchange) -> list[tuple[str, str, str]]:
        """Runs on the writer thread: contract violations to store beside the record."""
        if self.checker is None:
            return []
        found = [(v.kind, v.endpoint, v.summary) for v in self.checker.check(exchange)]
        for kind, endpoint, summary in found:
            line = f"{endpoint}: {kind}: {summary}"
            if line not in self.violations_logged and len(self.violations_logged) < 1000:
                self.violations_logged.add(line)
                self._warn(f"wsdoc: contract: {line[:300]}")
        return found

    def _release(self, results: list[tuple[Callable[[bool], None], bool]]) -> None:
        """Runs on the writer thread after a commit: resolve the batch on the event loop."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(_call_all, results)

    def _warn(self, message: str) -> None:
        # Log on the event loop's thread: mitmproxy's log handlers are not thread-safe.
        if self.loop is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(log.warning, message)
        else:
            log.warning(message)

    def summary(self) -> str:
        return (f"recorded {self.recorded}, skipped {self.skipped}, "
                f"redaction failures {self.redaction_failures}")

    def done(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        log.info(f"wsdoc: {self.summary()}")


def _call_all(results: list[tuple[Callable[[bool], None], bool]]) -> None:
    for done, ok in results:
        done(ok)


def _resolve(future: asyncio.Future[bool], ok: bool) -> None:
    if not future.done():
        future.set_result(ok)


def parse_filter(spec: str) -> flowfilter.TFilter | None:
    if not spec:
        return None
    try:
        return flowfilter.parse(spec)
    except ValueError as exc:
        raise exceptions.OptionsError(f"invalid wsdoc_filter {spec!r}: {exc}") from None


def load_checker(path: str) -> LiveChecker | None:
    if not path:
        return None
    try:
        return LiveChecker(path)
    except WsdocError as exc:
        raise exceptions.OptionsError(f"invalid wsdoc_contract: {exc}") from None


def make_redactor(rules: Sequence[str]) -> Redactor:
    try:
        return Redactor(rules)
    except Exception as exc:  # re.error and friends
        raise exceptions.OptionsError(f"invalid wsdoc_redact rule: {exc}") from None


addons = [Recorder()]
