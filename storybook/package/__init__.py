"""`storybook package`: the learner edition as a SCORM package for a learning management system.

The package is the offline copy (pages, search and journal work from the LMS's server or from
disk), a launch page that holds it in a frame and reports progress to the LMS, and the
manifest an LMS imports. See scorm.py for the whole, selection.py for what a package counts,
manifest.py for imsmanifest.xml, build.py for the MkDocs build, and
storybook/assets/storybook-scorm.js for what runs in the reader's browser.

This module imports scorm.py's build only when asked for it: the `storybook` command reads
the formats for its options from here, and every other command would wait for that import.
"""

from storybook.package.manifest import BY_NAME

FORMATS = tuple(BY_NAME)

__all__ = ["FORMATS"]
