"""The storybook's pipeline, with no MkDocs and no click in it: load, validate, render, pages, safety.

Adapters (the MkDocs plugin, `storybook export`, the command line, the room) sit beside it and
only call in. ``tests/test_layout.py`` fails if anything here imports MkDocs, click or watchdog.
"""
