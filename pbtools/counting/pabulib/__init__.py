"""The Pabulib ``.pb`` format (pabulib.org): ``read_pb(path)`` -> ``Election``, ``write_pb(election, path)``.

Sections META (``key;value``), PROJECTS (``project_id;cost;...``) and VOTES (``voter_id;vote[;points];...``),
``;``-separated with CSV quoting. Vote types: approval, choose-1, cumulative, scoring, ordinal. Any problem raises
``PabulibError`` whose ``message`` (a ``pbtools.i18n.Msg``) names the file and the line.
"""

from pbtools.counting.pabulib.reader import PabulibError, decode_pb, parse_pb, read_pb
from pbtools.counting.pabulib.writer import format_pb, write_pb

__all__ = ["PabulibError", "decode_pb", "parse_pb", "read_pb", "format_pb", "write_pb"]
