"""Workshops: a typed plan with a clock (``plan``) and its pages, run-of-show or agenda (``pages``)."""
