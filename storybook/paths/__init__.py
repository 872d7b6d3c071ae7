"""Learning paths: a typed path of stories (``plan``) and its pages (``pages``)."""
