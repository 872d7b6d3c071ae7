"""`storybook export`: the site as a plain source for any MkDocs-style engine, with no plugin."""
