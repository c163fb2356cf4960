"""The `wsdoc` command line: thin click commands over the docgen library.

One module per command group (record, infer, merge, site, drift, demo, sim), registered here
explicitly; shared options live in `docgen.cli.options`, error handling in
`docgen.cli.group`.
"""

from __future__ import annotations

import click

from docgen.cli.demo import demo
from docgen.cli.drift import check, diff
from docgen.cli.group import WsdocGroup
from docgen.cli.infer import endpoints, explain_path, import_command, openapi
from docgen.cli.merge import merge
from docgen.cli.record import record
from docgen.cli.sim import sim
from docgen.cli.site import build, serve


@click.group(cls=WsdocGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wsdoc")
def main() -> None:
    """Record JSON API traffic through a proxy and publish it as API documentation."""


for command in (record, import_command, merge, endpoints, explain_path, openapi, build, serve,
                check, diff, demo, sim):
    main.add_command(command)
