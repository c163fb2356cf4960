"""The one error type the CLI turns into a one-line message and a non-zero exit."""


class WsdocError(Exception):
    """A problem the user can fix: bad argument, unreadable file, unusable store."""

    exit_code = 2
