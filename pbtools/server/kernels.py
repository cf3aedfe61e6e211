"""Kernel management for the apps: idle kernels are culled, but never the preheated ones waiting in the pool, nor
one just handed to a page.

A preheated kernel may wait in the pool for hours; its last activity is then old. When a page takes it, the page
still has to load and open its websocket, and a cull pass in between found an idle kernel with no connection and
shut it down ("Loading widget..." forever). So a kernel's idle time is counted from the last cull pass that saw it
in the pool, or that first saw it out of it (handed to a page): a page always gets a full idle period to connect.

The texts the page templates (``share/voila/templates/pbtools``) show when a kernel dies or a page fails are
``PAGE_MESSAGES``: the templates carry them in each language, and a test checks they are the catalogs' own.
"""

from __future__ import annotations

import json
import os

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from pbtools.i18n import N_, LANGS, gettext

PAGE_MESSAGES = {
    "dead": N_("This screen lost its connection to the app (the app was stopped or restarted). What was saved is "
               "kept: reload the page to go on."),
    "reload": N_("Reload"),
    "not_found": N_("There is no such page."),
    "failed": N_("Something went wrong on the server while opening this page. What was saved is kept: reload the "
                 "page, or go back to the start page."),
    "home": N_("Start page"),
    # static/uploads.js fills in {file}, {size} and {most} (MB)
    "too_big": N_("The file {file} is {size} MB, more than the {most} MB a file can have: it was not sent. Choose a "
                  "smaller file (a photo: take or save it at a smaller size)."),
}

# The only messages a page may send its kernel over the websocket: what widgets need, the kernel's info (asked when
# the page connects) and its shutdown (the page's own kernel). Voila 0.5 allows the same; never ``execute_request``:
# the page runs no code (Voila runs the notebook itself, on the server), and anyone who can open an app could
# otherwise run any Python in its kernel, which holds the database's URL.
WIDGET_MESSAGES = ("comm_open", "comm_msg", "comm_close", "comm_info_request", "kernel_info_request", "shutdown_request")


class AppKernelManager(AsyncMappingKernelManager):
    """Voila wraps this class with its preheating pool. Culling must skip pool kernels: Voila does not refill a
    pool whose kernel was shut down, so culling them would silently turn preheating off."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._seen_out_of_pool: set[str] = set()  # kernels a cull pass has already seen handed to a page

    def _pooled_kernel_ids(self) -> set[str]:
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result().get("kernel_id"))
        return ids

    def _count_idle_from_now(self, kernel_id: str) -> None:
        kernel = self._kernels.get(kernel_id)
        if kernel is not None:
            kernel.last_activity = utcnow()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self._pooled_kernel_ids():
            self._count_idle_from_now(kernel_id)  # waiting in the pool: when handed over, it starts fresh
            return
        if kernel_id not in self._seen_out_of_pool:
            # first seen out of the pool: perhaps handed to a page a moment ago, its websocket not open yet
            self._seen_out_of_pool.add(kernel_id)
            self._count_idle_from_now(kernel_id)
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        self._seen_out_of_pool.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)


TEMPLATE_DIR = os.path.join(os.path.dirname(__file__), "share", "voila", "templates", "pbtools")


def page_messages_html() -> str:
    """``pb-messages.html``, which the page templates include: ``PAGE_MESSAGES`` in each language, from the catalogs."""

    from pbtools.server.limits import UPLOAD_MOST

    texts = {lang: {key: gettext(lang, msgid) for key, msgid in PAGE_MESSAGES.items()} for lang in LANGS}
    return ("{#- The page texts in each language: pbtools.server.kernels.PAGE_MESSAGES from the catalogs, and the largest\n"
            "    file a page sends (limits.UPLOAD_MOST); a test checks they are the same; regenerate with:\n"
            "    python -m pbtools.server.kernels). -#}\n"
            '<script id="pb-page-messages" type="application/json">'
            + json.dumps(texts, ensure_ascii=False, sort_keys=True) + "</script>\n"
            f'<script id="pb-upload-most" type="application/json">{UPLOAD_MOST}</script>\n')


if __name__ == "__main__":
    with open(os.path.join(TEMPLATE_DIR, "pb-messages.html"), "w", encoding="utf-8") as out:
        out.write(page_messages_html())
