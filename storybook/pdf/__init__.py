"""`storybook pdf`: a workshop's workbook and facilitator pack, and a story's worksheet, as
PDF files to print: the pages the site shows, built through the pipeline in the edition each
belongs to, laid out with the site's print stylesheet by WeasyPrint.

handout.py makes one (pages.py builds its page, render.py writes the PDF). This module imports
none of them: the `storybook` command reads the paper sizes for its options from here, and
every other command, `storybook serve` first, would otherwise wait for the pipeline's import.
"""

PAPER_SIZES = ("A4", "letter")
