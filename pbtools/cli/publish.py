"""pbtools publish --out DIR [--lang ky ru en]: the citizens' website as plain files (see pbtools.publish)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pbtools.cli import add_workspace_argument, open_existing
from pbtools.i18n import LANGS, check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="write the citizens' website (plain HTML files, no server, no internet)")
    p.add_argument("--out", metavar="DIR", required=True, help="an empty folder, or one an earlier publish wrote")
    p.add_argument("--lang", nargs="+", choices=LANGS, default=argparse.SUPPRESS, metavar="LANG",
                   help="the languages of the site and of the messages (default: ky ru en; messages in the first)")
    add_workspace_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pbtools.follow.service import FollowError
    from pbtools.monitoring.errors import MonitoringError
    from pbtools.publish.site import PublishError, publish_site
    from pbtools.reports.errors import ReportError

    # --lang after ``publish``: the site's languages (messages in the first); before it: the messages' only
    langs = tuple(args.lang) if isinstance(args.lang, list) else tuple(LANGS)
    lang = check_lang(langs[0] if isinstance(args.lang, list) else args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        print(error, file=sys.stderr)
        return 1
    with ws:
        try:
            site = publish_site(ws, Path(args.out), langs)
        except (PublishError, ReportError, MonitoringError, FollowError) as exc:
            print(exc.render(lang), file=sys.stderr)
            return 1
    print(_("Website written to {path}: {files} files; open {index} in a browser.", path=site.out, files=len(site.files),
            index=site.out / "index.html"))
    return 0
