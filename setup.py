"""Compiles docgen/capture/tnetstring.py with mypyc (flow-file imports about 6x faster
to decode). The rest of the project is plain Python; pyproject.toml holds the metadata.

The extension is optional: without a C compiler (or without mypyc) the install succeeds
and the same module runs as Python (`docgen.capture.tnetstring.COMPILED` is False).
"""

from __future__ import annotations

from setuptools import setup

COMPILED_MODULES = ["docgen/capture/tnetstring.py"]


def extensions() -> list[object]:
    try:
        from mypyc.build import mypycify
    except ImportError:  # built without mypyc: pure Python
        return []
    built = mypycify(COMPILED_MODULES, opt_level="3")
    for extension in built:
        extension.optional = True  # a failed compile leaves the Python module in use
    return built


setup(ext_modules=extensions())
