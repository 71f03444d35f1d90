"""Errors that reach the user as one clear line (the CLI exits with code 2 on them)."""


class DeskError(Exception):
    """A problem the user can fix; ``str(err)`` says what to fix."""


class DatabaseError(DeskError):
    """The database cannot be opened or is not a desk database."""


class ConfigError(DeskError):
    """The config file has an error; the message names the line and key."""
