"""Sync from the field: a laptop hands a hearing in as its audit export (``push``), and takes a copy of its
municipality's data before going to the hall (``pull``)."""
