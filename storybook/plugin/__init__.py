"""The MkDocs adapter: everything that imports MkDocs lives in this package, nothing else does."""

from storybook.plugin.hooks import StorybookPlugin

__all__ = ["StorybookPlugin"]
