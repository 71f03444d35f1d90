"""desk: the front-desk and consultant workstation of a training center."""

__version__ = "0.1.0"
