"""Widgets shared by several desk screens."""
