"""An addon's flow hooks run as mitmproxy runs them (inside a `taddons.context()`): through
the master's AddonManager, which awaits whatever a hook returns before the flow goes on."""

from __future__ import annotations

from typing import Any

from mitmproxy import ctx, http
from mitmproxy.proxy.layers.http import HttpErrorHook, HttpResponseHook


async def respond(addon: Any, flow: http.HTTPFlow) -> None:
    """The response hook; returning means mitmproxy would now send the response on."""
    await ctx.master.addons.invoke_addon(addon, HttpResponseHook(flow))


async def fail(addon: Any, flow: http.HTTPFlow) -> None:
    """The error hook."""
    await ctx.master.addons.invoke_addon(addon, HttpErrorHook(flow))
