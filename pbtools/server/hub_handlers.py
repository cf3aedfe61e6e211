"""The hub's pages that pbtools answers instead of NativeAuthenticator's (``hub_auth.PbtoolsAuthenticator``
routes them): the login (its refusal said as found), sign-up with an invitation code, and approving, withdrawing or discarding an account only by a POST
from the approval page (NativeAuthenticator did it on a GET, which any site can make an administrator's browser
send: JupyterHub checks no XSRF token on a page's GET; a POST always carries the hub's ``_xsrf``, checked by
JupyterHub before the handler runs). And ``/hub/api``, which tells JupyterHub's version only to a login.

The messages are NativeAuthenticator's English ones, or ours in the same manner; the templates say them in the
page's language (``hub_pages.translate_said``).
"""

from __future__ import annotations

import json

from jupyterhub.apihandlers.hub import RootAPIHandler
from nativeauthenticator.handlers import LocalBase, LoginHandler, SignUpHandler, admin_users_scope
from nativeauthenticator.orm import UserInfo
from tornado import web

from pbtools.central import accounts
from pbtools.i18n import N_, Msg, NMsg
from pbtools.server.hub_pages import request_lang

INVITATION_REFUSED = ("The invitation code is not valid for {user}: mistyped, used already or expired. Ask the "
                      "server's operator for a new one.")
SIGNED_UP = "The signup was successful! You can now go to the home page and log in to the system."
TOO_MANY_SIGNUPS = "Too many sign-ups from this address: try again in ten minutes."


class InvitedSignUp(SignUpHandler):
    """``POST /hub/signup``: an account only with the invitation code issued for that name, approved at once."""

    async def post(self) -> None:
        auth = self.authenticator
        if not auth.enable_signup:
            raise web.HTTPError(404)
        username = auth.normalize_username(self.get_body_argument("username", "", strip=False))
        password = self.get_body_argument("signup_password", "", strip=False)
        confirmation = self.get_body_argument("signup_password_confirmation", "", strip=False)
        code = self.get_body_argument("invitation", "", strip=False)
        user, address = None, auth.client(self)
        said: list[str] = []  # what the page says: one message per problem, in the page's language
        if auth.signups.blocked(address):  # refused unchecked
            alert, message = "alert-danger", TOO_MANY_SIGNUPS
        elif not await auth.in_registry(accounts.valid, username, code):
            # the code first, the same answer whether the name has an account or not: "already taken" told anyone
            # which names exist (s26 M2), the '*' administrator's first
            alert, message = "alert-danger", INVITATION_REFUSED.replace("{user}", username)
        elif said := [m.render(request_lang(self)) for m in problems(auth, username, password, confirmation)]:
            alert, message = "alert-danger", said[0]
        elif not await auth.in_registry(accounts.claim, username, code):
            alert, message = "alert-danger", INVITATION_REFUSED.replace("{user}", username)
        else:
            try:
                user = await auth.create_invited(username, password)
            except Exception:
                await auth.in_registry(accounts.release, username)  # the code works again
                raise
            alert, message = "alert-success", SIGNED_UP
        if user is None and message != TOO_MANY_SIGNUPS:
            auth.signups.failed(address)
        self.log.info("Sign-up of %s from %s: %s", username, address, "created" if user else "refused")
        # a refusal keeps the name and the code as typed (they had to be typed again), never the passwords
        kept = {} if user else {"username": self.get_body_argument("username", "", strip=False), "invitation": code}
        html = await self.render_template("signup.html", ask_email=auth.ask_email_on_signup, result_message=message,
                                          result_messages=said or [message], alert=alert, two_factor_auth=False,
                                          recaptcha_key=None, tos=None, **kept)
        self.finish(html)


def problems(auth, username: str, password: str, confirmation: str) -> list[Msg]:
    """What is wrong with a sign-up whose invitation code is valid, one message each (NativeAuthenticator said one
    sentence naming every rule at once, whichever was broken; s26 L6). A name that has an account is said alone: the
    name is the invited one, so choosing another is no advice."""
    if auth.user_exists(username):
        return [Msg(N_("{user} has an account already: log in with it. If its password is lost, a hub "
                       "administrator can set a new one."), user=username)]
    found = []
    if not auth.validate_username(username):
        found.append(Msg(N_("The username may not contain spaces, commas or slashes.")))
    if len(password) < auth.minimum_password_length:
        found.append(NMsg("The password is too short: it needs at least {n} character.",
                          "The password is too short: it needs at least {n} characters.", auth.minimum_password_length))
    elif auth.check_common_password and auth.is_password_common(password):
        found.append(Msg(N_("This password is one of the most common ones, which are guessed first: choose another.")))
    if password != confirmation:
        found.append(Msg(N_("The password and its confirmation differ. Please enter them again.")))
    return found


class Login(LoginHandler):
    """``POST /hub/login``: NativeAuthenticator's, but the refusal is what the authenticator found (a wrong password,
    too many from this address, not approved), never a second password hash on the event loop to find it out."""

    async def post(self) -> None:
        data = {arg: self.get_argument(arg, strip=False) for arg in self.request.arguments}
        user = await self.login_user(data)
        if user:
            self._jupyterhub_user = user
            self.redirect(self.get_next_url(user))
            return
        said = getattr(self, "pbtools_said", None) or "Invalid username or password."
        self.finish(await self._render(login_error=said, username=data.get("username")))


class Approval(LocalBase):
    """``POST /hub/authorize/NAME``: approve the account, or withdraw its approval (a GET is refused: 405)."""

    @admin_users_scope
    async def post(self, name: str) -> None:
        if UserInfo.find(self.db, name) is None:
            raise web.HTTPError(404)
        UserInfo.change_authorization(self.db, name)
        self.log.info("%s toggled the approval of %s", self.current_user.name, name)
        self.redirect(self.hub.base_url + "authorize#" + name)


class Discard(LocalBase):
    """``POST /hub/discard/NAME``: delete an account that is not approved (a GET is refused: 405)."""

    @admin_users_scope
    async def post(self, name: str) -> None:
        info = UserInfo.find(self.db, name)
        if info is not None and not info.is_authorized:
            self.authenticator.delete_user(type("User", (), {"name": name}))
            if self.users.get(name) is not None:
                self.users.delete(name)
            self.log.info("%s discarded the account %s", self.current_user.name, name)
        self.redirect(self.hub.base_url + "authorize")


class RootAPI(RootAPIHandler):
    """``GET /hub/api``: JupyterHub's version only to a logged-in user or a token (the idle culler reads it); to
    anyone else on the hall network nothing (s26 L12: it told which JupyterHub runs, and so its known flaws)."""

    def get(self) -> None:
        from jupyterhub import __version__

        self.finish(json.dumps({"version": __version__} if self.current_user else {}))


def added() -> list[tuple[str, type]]:
    """Routes of JupyterHub's own answered here instead (the authenticator's routes come first)."""
    return [(r"/api/?", RootAPI)]


def replacing() -> dict[str, type]:
    """NativeAuthenticator's routes that are answered here instead."""
    return {r"/login": Login, r"/signup": InvitedSignUp, r"/authorize/([^/]*)": Approval, r"/discard/([^/]*)": Discard}
