"""Starting a storybook and its own templates: `storybook init` and `storybook templates`.

Everything a new storybook is made from ships inside the package (``starter/``, and the sample
library in ``sample/``), so an installed package never reads a file of the repository it was
built from.
"""
