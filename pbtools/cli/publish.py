"""pbtools publish --out DIR [--site-lang ky ru en] [--lang LANG]: the citizens' website as plain files in the site's
languages (default all three; see pbtools.publish); ``--lang`` is the language of the messages, as everywhere."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, open_existing
from pbtools.i18n import LANGS, check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="write the citizens' website (plain HTML files, no server, no internet)")
    p.add_argument("--out", metavar="DIR", required=True, help="an empty folder, or one an earlier publish wrote")
    p.add_argument("--site-lang", nargs="+", choices=LANGS, default=list(LANGS), metavar="LANG", dest="site_langs",
                   help="the languages of the site (default: ky ru en)")
    add_workspace_argument(p)
    add_lang_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pbtools.monitoring.follow.service import FollowError
    from pbtools.monitoring.errors import MonitoringError
    from pbtools.publish.site import PublishError, publish_site
    from pbtools.reports.errors import ReportError

    langs = tuple(dict.fromkeys(args.site_langs))
    lang = check_lang(args.lang)
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
