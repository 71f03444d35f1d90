"""Dialogs (modal screens) that more than one screen opens, one module each: import them
from their module, so opening one loads only what it needs."""
