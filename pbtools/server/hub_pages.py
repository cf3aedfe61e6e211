"""The hub's own pages (login, sign-up, password change, approval, spawn and error pages) in Kyrgyz, Russian and
English.

JupyterHub draws its pages, and NativeAuthenticator's, with Jinja from ``c.JupyterHub.template_paths``; ours
(``server/templates/hub/``) come first and extend theirs (``templates/page.html`` is JupyterHub's own page), with
the same form field ids. ``c.JupyterHub.jinja_environment_options`` adds ``HubLanguage``, which gives the
templates ``tr("English text")`` (the text in the page's language, from the ``hub.po`` catalogs), ``tr_message``
(the messages the hub's handlers pass in English, e.g. "Invalid username or password."), ``hub_lang()`` and
``lang_links()`` (the switch).

The page's language: ``?lang=ky|ru|en`` (then remembered in the ``pbtools_lang`` cookie for the pages that follow,
e.g. after a login's redirect), else that cookie, else Kyrgyz. JupyterHub passes its templates no request, but every
page's ``static_url`` is the handler's own method, so the request is found through it (``_handler``).
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jinja2 import pass_context
from jinja2.ext import Extension

from pbtools.i18n import LANGS, N_, Msg, gettext

TEMPLATES = Path(__file__).with_name("templates") / "hub"
COOKIE = "pbtools_lang"
DEFAULT_LANG = "ky"
LANG_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}  # each in its own language, as a switch shows them

# Every text of the templates; ``tr`` refuses any other, so a text cannot miss its translations.
TEXTS = frozenset({
    N_("Language"), N_("Home"), N_("Token"), N_("Administration"), N_("Services"), N_("Log out"), N_("Log in"),
    N_("Change password"), N_("Authorize users"), N_("Sign in"), N_("Username:"), N_("Password:"),
    N_("Show or hide the password"), N_("Sign up"), N_("to create a new account."),
    N_("Warning: this server is reached over unencrypted HTTP; use HTTPS."),
    N_("Create an account"), N_("Confirm password:"), N_("Create account"),
    N_("with an existing account."),
    N_("Invitation code:"), N_("Type the invitation code the server's operator gave you for this user name."),
    N_("Approving accounts"), N_("Approved?"), N_("approved"), N_("waiting"), N_("Email"),
    N_("Withdraw approval"), N_("Authorize"), N_("Discard"),
    N_("Please enter your current password and the new one. If you have forgotten your password, an administrator "
       "can set a new one for you."),
    N_("Old password:"), N_("New password:"), N_("Confirm new password:"),
    N_("Once approved, you can"), N_("log in"),
    N_("Your server is starting."), N_("You will be taken to it as soon as it is ready."),
    N_("Event log"), N_("The server could not be started"), N_("The server is not running"),
    N_("The last attempt to start your server failed."), N_("Would you like to try again?"),
    N_("Your server is not running."), N_("It will be started again in a moment."),
    N_("Would you like to start it?"), N_("Start the server"), N_("Try again"),
    N_("This page does not exist."), N_("Error"),
    N_("Your municipalities"), N_("Municipality"), N_("Your role"), N_("Open the apps"), N_("Start and open the apps"), N_("Stop"),
    N_("Each municipality granted to you has its own server. Open one; one that is not running is started first."),
    N_("No municipality is granted to you yet: ask the server's operator."),
    N_("No municipality is granted to you yet"), N_("You can try starting your server again from the home page."),
    N_("Your account works, but no server can be started for you until a municipality is granted to you. Ask the "
       "hub's administrator (the person who gave you the invitation code) to grant you one, then log in again."),
    N_("Your server is stopping."), N_("You can start it again once it has stopped."),
    N_("Server requested"), N_("Starting the server…"), N_("The server is ready"), N_("The start was cancelled"),
})
# Titles that take a name: their own entries, with a placeholder
TITLES = {
    "change_password_for": N_("Change the password of {user}"),
    "set_password_for": N_("Enter the new password for {user}."),
}

# What the hub's handlers say (NativeAuthenticator 1.3, JupyterHub 5) in English, as they word it, with the
# values they put in as {placeholders}; and what we say instead. Spaces and line breaks are compared loosely.
_SAID = [
    ("Invalid username or password.", N_("Invalid username or password.")),
    ("Invalid username or password", N_("Invalid username or password.")),
    ("User {user} has not been authorized by an administrator yet.",
     N_("The account {user} has not been approved by an administrator yet.")),
    ("Something went wrong! It appears that this username is already in use. Please try again with a different "
     "username.", N_("This username is already taken. Please choose another one.")),
    ("Your password did not match the confirmation. Please try again.",
     N_("The password and its confirmation differ. Please enter them again.")),
    ("Something went wrong! Be sure your username does not contain spaces, commas or slashes, your password has at "
     "least {n} characters and is not too common.",
     N_("The account was not created. The username may not contain spaces, commas or slashes; the password needs at "
        "least {n} characters and must not be a common one.")),
    ("Something went wrong! Be sure your username does not contain spaces, commas or slashes and your password is "
     "not too common.", N_("The account was not created. The username may not contain spaces, commas or slashes; "
                           "the password must not be a common one.")),
    ("The signup was successful! You can now go to the home page and log in to the system.",
     N_("The account was created. You can log in now.")),
    ("Your information has been sent to the admin.",
     N_("Your request was sent to the administrator. You can log in once the account is approved.")),
    ("Your current password was incorrect. Please try again.", N_("The current password is wrong. Please try again.")),
    ("Your new password didn't match the confirmation. Please try again.",
     N_("The new password and its confirmation differ. Please enter them again.")),
    ("The new password didn't match the confirmation. Please try again.",
     N_("The new password and its confirmation differ. Please enter them again.")),
    ("Your password has been changed successfully!", N_("Your password was changed.")),
    ("Something went wrong! Be sure your new password has at least {n} characters and is not too common.",
     N_("The password was not changed: it needs at least {n} characters and must not be a common one.")),
    ("The password for {user} has been changed successfully", N_("The password of {user} was changed.")),
    ("Something went wrong! Be sure the new password for {user} has at least {n} characters and is not too common.",
     N_("The password of {user} was not changed: it needs at least {n} characters and must not be a common one.")),
    ("{user} has been authorized!", N_("{user} is approved.")),
    ("{user} was already authorized.", N_("{user} was already approved.")),
    ("Invalid URL", N_("This address is not valid.")),
    # ours (hub_handlers, hub_auth), said the same way
    ("Too many sign-ups from this address: try again in ten minutes.",
     N_("Too many sign-ups from this address: try again in ten minutes.")),
    ("Too many wrong passwords for {user} from this address: wait a minute, then try again.",
     N_("Too many wrong passwords for {user} from this address: wait a minute, then try again.")),
    ("The invitation code is not valid for {user}: mistyped, used already or expired. Ask the server's operator for "
     "a new one.", N_("The invitation code is not valid for {user}: mistyped, used already or expired. Ask the "
                      "server's operator for a new one.")),
    ("Forbidden", N_("Forbidden")),
    # JupyterHub's refusal for want of a scope (e.g. /hub/admin), naming its scopes in English (s26 M5.3)
    ("Action is not authorized with current scopes; requires any of [{scopes}]",
     N_("Only the hub's administrator may open this page.")),
    ("Not Found", N_("Not found")),
    # another user's server, or one that does not exist (JupyterHub says both alike, so as not to tell which)
    ("No access to resources or resources not found", N_("This server does not exist, or it is not yours to open.")),
    ("No such user {user}", N_("There is no user {user} on this hub.")),
    ("Unhandled error starting server {server}", N_("The server could not be started.")),
]


def _pattern(said: str) -> tuple[re.Pattern, list[str]]:
    """A regular expression matching ``said`` with any values in its placeholders; the placeholders' names."""
    parts = list(string.Formatter().parse(said))
    regex = "".join(re.escape(text) + ("(.+)" if name else "") for text, name, _spec, _conv in parts)
    return re.compile(regex, re.S), [name for _text, name, _spec, _conv in parts if name]


_MATCHERS = [(*_pattern(said), msgid) for said, msgid in _SAID]


def _handler(context: Any) -> Any:
    """The tornado handler drawing this page (JupyterHub's namespace has its bound ``static_url``), or None."""
    return getattr(context.get("static_url"), "__self__", None)


def request_lang(handler: Any) -> str:
    """The page's language for ``handler``'s request: ``?lang=``, else the cookie, else Kyrgyz."""
    if handler is None:
        return DEFAULT_LANG
    asked = handler.get_query_argument("lang", None)
    if asked in LANGS:
        return asked
    kept = handler.get_cookie(COOKIE)
    return kept if kept in LANGS else DEFAULT_LANG


def translate_said(text: str, lang: str) -> str:
    """A message of the hub's handlers in ``lang``; one this table does not know stays as it is."""
    text = " ".join((text or "").split())
    for pattern, names, msgid in _MATCHERS:
        found = pattern.fullmatch(text)
        if found:
            return Msg(msgid, **dict(zip(names, found.groups()))).render(lang)
    return text


@pass_context
def _hub_lang(context: Any) -> str:
    handler = _handler(context)
    lang = request_lang(handler)
    if handler is not None and handler.get_query_argument("lang", None) in LANGS and handler.get_cookie(COOKIE) != lang:
        # remembered for the pages that follow (a login's redirect drops ?lang=); not a secret, read by scripts
        handler.set_cookie(COOKIE, lang, path="/", expires_days=365, samesite="Lax")
    return lang


@pass_context
def _tr(context: Any, text: str, **values: Any) -> str:
    if text not in TEXTS and text not in TITLES:
        raise KeyError(f"hub template text without translations: {text!r} (add it to hub_pages.TEXTS)")
    lang = _hub_lang(context)
    if text in TITLES:
        return Msg(TITLES[text], **values).render(lang)
    return gettext(lang, text)


@pass_context
def _tr_message(context: Any, text: str) -> str:
    return translate_said(text, _hub_lang(context))


@pass_context
def _lang_links(context: Any) -> list[dict[str, Any]]:
    """The switch: each language with this page's address in it (other arguments kept, e.g. ``next``)."""
    handler, lang = _handler(context), _hub_lang(context)
    uri = handler.request.uri if handler is not None else "/"
    parts = urlsplit(uri)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return [{"lang": code, "name": LANG_NAMES[code], "current": code == lang,
             "href": urlunsplit(("", "", parts.path, urlencode(query + [("lang", code)]), ""))} for code in LANGS]


class HubLanguage(Extension):
    """``c.JupyterHub.jinja_environment_options = {"extensions": ["pbtools.server.hub_pages.HubLanguage"]}``."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.globals.update(tr=_tr, tr_message=_tr_message, hub_lang=_hub_lang, lang_links=_lang_links)
