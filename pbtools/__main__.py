import sys

from pbtools.cli import main

sys.exit(main())
