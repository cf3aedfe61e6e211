"""The citizens' website: ``pbtools publish --out DIR`` writes plain HTML and CSS files (no server, no script, no
internet, nothing loaded from elsewhere) that a municipality puts on its website or hands out on a USB stick.

- ``pages.py`` gathers what a page shows, in one language, as plain data (every word translated in Python; the
  templates in ``pbtools/templates/publish/`` hold no words): the citizens' budget, every closed hearing's results,
  every monitored project with its status, photos and acts, and whether the budget followed the hearing.
- ``site.py`` writes the files: ``DIR/index.html`` (the languages), ``DIR/<lang>/...`` (a page per language, linked
  to the same page in the others), ``DIR/assets/`` (CSS, charts as PNG), ``DIR/files/`` (protocols as PDF),
  ``DIR/photos/`` (project photos, their EXIF dropped).

Nothing private: no participant, no voting code, no name of a group member or of who typed what; the protocol PDF
is published as the hearing signed it (its chair, secretary and counting commission).
"""
