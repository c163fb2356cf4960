"""Compiles the hot modules with mypyc: in the capture wing, the tnetstring decoder
(flow-file imports about 6x faster to decode), and what turns a flow into a stored row:
flow-file states, snapshots and records, redaction, rows (together about a quarter less CPU
per imported flow; the recorder's writer runs them too); in the inference wing, the walks
over parsed bodies (about a tenth less CPU per model). The rest of the project is plain
Python; pyproject.toml holds the metadata. A compiled class pickles only by declaration, so
the inference modules whose objects are shipped between processes stay plain Python.

The extensions are optional: without a C compiler (or without mypyc) the install succeeds
and the same modules run as Python. Compiled code checks type hints at run time, so these
modules' hints must say what really arrives (tests/test_setup.py checks each is compiled
and current; the whole suite runs against the compiled modules).
"""

from __future__ import annotations

from setuptools import setup

# One per line: the Makefile reads this list (an edit re-runs the install's compile).
COMPILED_MODULES = [
    "docgen/capture/tnetstring.py",
    "docgen/capture/flowfile.py",
    "docgen/capture/snapshot.py",
    "docgen/capture/redact.py",
    "docgen/capture/rows.py",
    "docgen/infer/bodywalks.py",
]


def extensions() -> list[object]:
    try:
        from mypyc.build import mypycify
    except ImportError:  # built without mypyc: pure Python
        return []
    # One shared library in the package (docgen/compiled__mypyc.*.so), not at the top of
    # the tree, where the editable install would not find it.
    built = mypycify(COMPILED_MODULES, opt_level="3", group_name="docgen.compiled")
    for extension in built:
        extension.optional = True  # a failed compile leaves the Python modules in use
    return built


if __name__ == "__main__":  # as setuptools runs it; tests import the list
    setup(ext_modules=extensions())
