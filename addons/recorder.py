"""wsdoc's mitmproxy addon: record every completed exchange, redacted, into the store.

    mitmdump -s addons/recorder.py --mode reverse:http://127.0.0.1:8090 \
        --set wsdoc_store=wsdoc.sqlite

Hooks stay thin: on the event loop we only snapshot the flow and queue it; decoding,
redaction and the SQLite write happen in the store's writer process (or, with
`wsdoc_writer=thread`, a thread of the proxy's own, which then shares its GIL). With the default
`wsdoc_durability=sync` the response is released to the client only once its record is
committed, so a response the client saw survives `kill -9` of the proxy.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from mitmproxy import exceptions, flowfilter, http
from mitmproxy.addonmanager import Loader

from docgen.capture.commit_waits import CommitWaits
from docgen.capture.postgres import is_postgres
from docgen.capture.prepare import Preparer
from docgen.capture.provenance import check_label, default_host, default_recorder
from docgen.capture.redact import Redactor
from docgen.capture.snapshot import snapshot
from docgen.capture.upstream import UpstreamFailures
from docgen.capture.writer import StoreWriter
from docgen.capture.writer_process import WriterProcess
from docgen.drift.live import ContractAnnotator
from docgen.errors import WsdocError

log = logging.getLogger(__name__)

DURABILITY = {"sync": "NORMAL", "fsync": "FULL", "async": "NORMAL"}
COMMIT_WAIT_S = 30.0  # never hold a response longer than this for a slow disk
# async durability: how long the writer waits for a batch to fill. No response waits for
# it, and fewer, larger commits leave the event loop more of the GIL than sync's.
ASYNC_LINGER_S = 0.02
RECORDED_MARK = "wsdoc_recorded"
DEFAULT_MAX_BODY = 10 * 1024 * 1024
WRITERS = ("process", "thread")
WRITER_OPTIONS = {"wsdoc_store", "wsdoc_durability", "wsdoc_writer", "wsdoc_redact",
                  "wsdoc_max_body", "wsdoc_recorder", "wsdoc_recorder_host", "wsdoc_contract"}


class Recorder:
    def __init__(self) -> None:
        self.writer: StoreWriter | WriterProcess | None = None
        self.writer_kind = "process"
        self.matcher: flowfilter.TFilter | None = None
        self.rules: tuple[str, ...] = ()
        self.max_body = DEFAULT_MAX_BODY
        self.durability = "sync"
        self.skipped = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.annotator: ContractAnnotator | None = None
        self.provenance = (default_recorder(), default_host())
        self.preparer = Preparer()
        self.last_writer: StoreWriter | WriterProcess | None = None
        self.store = "wsdoc.sqlite"
        self.upstream_failures = UpstreamFailures()
        self.waits: CommitWaits | None = None

    def load(self, loader: Loader) -> None:
        loader.add_option("wsdoc_store", str, "wsdoc.sqlite",
                          "Capture store to write: a SQLite file or postgresql://USER@HOST/DB.")
        loader.add_option("wsdoc_recorder", str, "",
                          "This recorder's name in each record's provenance (default: login).")
        loader.add_option("wsdoc_recorder_host", str, "",
                          "This recorder's host in each record's provenance (default: hostname).")
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
            "wsdoc_writer", str, "process",
            "process: decode, redact and commit in a child process, leaving the proxy's "
            "event loop its GIL; thread: do it on a thread of the proxy.",
            choices=list(WRITERS),
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
            self.rules = check_rules(options.wsdoc_redact)
        if updated & {"wsdoc_recorder", "wsdoc_recorder_host"}:
            self.provenance = make_provenance(options.wsdoc_recorder,
                                              options.wsdoc_recorder_host)
        if "wsdoc_contract" in updated:
            self.annotator = load_annotator(options.wsdoc_contract, self._warn)
        if updated & {"wsdoc_durability", "wsdoc_writer"}:
            if options.wsdoc_durability not in DURABILITY:
                raise exceptions.OptionsError(
                    f"wsdoc_durability must be one of {', '.join(DURABILITY)}")
            if options.wsdoc_writer not in WRITERS:
                raise exceptions.OptionsError(f"wsdoc_writer must be one of {', '.join(WRITERS)}")
            self.durability, self.writer_kind = options.wsdoc_durability, options.wsdoc_writer
        if "wsdoc_store" in updated:
            self.store = check_store_target(options.wsdoc_store)
        # Any setting the writer holds means a new writer (the old one finishes first). The
        # store is first opened in running(): once the proxy listens, so a proxy that cannot
        # start (port in use) leaves no store behind.
        if self.loop is not None and updated & WRITER_OPTIONS:
            self._open(self.store)

    def _open(self, path: str) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        self.preparer = Preparer(self.rules, self.max_body, self.provenance, self._warn)
        linger = ASYNC_LINGER_S if self.durability == "async" else 0.0
        try:
            if self.writer_kind == "process":
                self.writer = WriterProcess(
                    path, self.preparer, DURABILITY[self.durability], annotate=self.annotator,
                    linger=linger, warn=self._warn)
            else:
                self.writer = StoreWriter(
                    path, self.preparer, DURABILITY[self.durability], annotate=self.annotator,
                    notify=self._release, linger=linger)
        except WsdocError as exc:
            raise exceptions.OptionsError(str(exc)) from None
        self.last_writer = self.writer

    def _count(self, name: str) -> int:
        # The writer process reports its preparer's counts with each acknowledgement.
        if isinstance(self.last_writer, WriterProcess):
            return self.last_writer.counts.get(name, 0)
        return int(getattr(self.preparer, name))

    @property
    def recorded(self) -> int:
        return self._count("recorded")

    @property
    def redaction_failures(self) -> int:
        return self._count("redaction_failures")

    def running(self) -> None:
        self.loop = asyncio.get_running_loop()
        try:
            self._open(self.store)
        except exceptions.OptionsError as exc:
            log.error(str(exc))  # mitmproxy's errorcheck stops the proxy on it
            return
        log.info(f"wsdoc: recording into {self.store} ({self.durability} durability)")
        # What the proxy holds from start-up (modules, options, addons) lives until it
        # stops: frozen, it leaves the collector's full passes, which then only scan what
        # traffic allocates (about 10 us a request under load, measured with gc.callbacks).
        gc.freeze()

    # mitmproxy awaits what a hook returns: the future of the record's commit (sync
    # durability) holds the response back until then; None lets it go at once.
    def response(self, flow: http.HTTPFlow) -> asyncio.Future[bool] | None:
        return self._record(flow)

    def error(self, flow: http.HTTPFlow) -> asyncio.Future[bool] | None:
        if flow.error is not None and (line := self.upstream_failures.first(flow)):
            log.warning(line)
        return self._record(flow)

    def _record(self, flow: http.HTTPFlow) -> asyncio.Future[bool] | None:
        if self.writer is None or flow.metadata.get(RECORDED_MARK):
            return None
        flow.metadata[RECORDED_MARK] = True
        if self.matcher is not None and not self.matcher(flow):
            self.skipped += 1
            return None
        try:
            snap = snapshot(flow)
        except Exception as exc:  # a malformed flow must never break the traffic
            self._warn(f"wsdoc: could not read flow {flow.id}: {exc}")
            return None
        if self.durability == "async":
            self.writer.submit(snap)
            return None
        waits = self._waits()
        committed: asyncio.Future[bool] = waits.loop.create_future()
        self.writer.submit(snap, partial(_resolve, committed))
        return waits.hold(committed, snap.target)

    def _waits(self) -> CommitWaits:
        loop = asyncio.get_running_loop()
        if self.waits is None or self.waits.loop is not loop:
            self.loop = self.loop or loop
            self.waits = CommitWaits(loop, COMMIT_WAIT_S, self._released_before_commit)
        return self.waits

    def _released_before_commit(self, target: str) -> None:
        self._warn(f"wsdoc: store is slow; released {target.partition('?')[0][:80]} "
                   "before commit")

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
        if self.waits is not None:
            self.waits.close()
        log.info(f"wsdoc: {self.summary()}")
        self.writer = None


def _call_all(results: list[tuple[Callable[[bool], None], bool]]) -> None:
    for done, ok in results:
        done(ok)


def _resolve(future: asyncio.Future[bool], ok: bool) -> None:
    if not future.done():
        future.set_result(ok)


def check_store_target(target: str) -> str:
    """The store location, once it looks writable; nothing is created here."""
    if is_postgres(target):
        return target
    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise exceptions.OptionsError(f"wsdoc_store {target} is a folder, not a store file")
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise exceptions.OptionsError(f"wsdoc_store: cannot create a store in {folder}/")
    return target


def parse_filter(spec: str) -> flowfilter.TFilter | None:
    if not spec:
        return None
    try:
        return flowfilter.parse(spec)
    except ValueError as exc:
        raise exceptions.OptionsError(f"invalid wsdoc_filter {spec!r}: {exc}") from None


def load_annotator(path: str, warn: Callable[[str], None]) -> ContractAnnotator | None:
    if not path:
        return None
    try:
        return ContractAnnotator(path, warn)
    except WsdocError as exc:
        raise exceptions.OptionsError(f"invalid wsdoc_contract: {exc}") from None


def make_provenance(name: str, host: str) -> tuple[str, str]:
    try:
        return (check_label(name or default_recorder(), "wsdoc_recorder"),
                check_label(host or default_host(), "wsdoc_recorder_host"))
    except WsdocError as exc:
        raise exceptions.OptionsError(str(exc)) from None


def check_rules(rules: Sequence[str]) -> tuple[str, ...]:
    """The extra redaction rules, once they are known to compile."""
    try:
        Redactor(rules)
    except Exception as exc:  # re.error and friends
        raise exceptions.OptionsError(f"invalid wsdoc_redact rule: {exc}") from None
    return tuple(rules)


addons = [Recorder()]
