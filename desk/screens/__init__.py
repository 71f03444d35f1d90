"""The screens of desk: each composes widgets and calls the data layer (desk.dal)."""
