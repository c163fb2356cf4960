"""The `wsdoc` command line: thin click commands over the docgen library.

One module per command group (session, record, importing, infer, merge, site, drift, demo,
sim), registered here explicitly; shared options live in `docgen.cli.options`, error handling in
`docgen.cli.group`. A command's module is imported only when that command runs (or help
lists it): `wsdoc import` should not pay for the simulator's aiohttp or the site's mkdocs.
"""

from __future__ import annotations

from typing import NoReturn

import click

from docgen.cli.group import WsdocGroup, run_then_exit

COMMANDS = {  # name -> "module:attribute", in the order `wsdoc --help` lists them
    "session": "docgen.cli.session:session",
    "record": "docgen.cli.record:record",
    "import": "docgen.cli.importing:import_command",
    "merge": "docgen.cli.merge:merge",
    "endpoints": "docgen.cli.infer:endpoints",
    "explain-path": "docgen.cli.infer:explain_path",
    "openapi": "docgen.cli.infer:openapi",
    "build": "docgen.cli.site:build",
    "serve": "docgen.cli.site:serve",
    "check": "docgen.cli.drift:check",
    "diff": "docgen.cli.drift:diff",
    "demo": "docgen.cli.demo:demo",
    "sim": "docgen.cli.sim:sim",
}


@click.group(cls=WsdocGroup, commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wsdoc")
def main() -> None:
    """Record JSON API traffic through a proxy and publish it as API documentation."""


def run() -> NoReturn:
    """The `wsdoc` console script (tests call `main` itself)."""
    run_then_exit(main)
