"""Signing in and out, registering, password reset, acting for someone, my details."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from catalogue.models import (
    CommunityOrganisation,
    CommunityOrganiser,
    MemberRole,
    ProviderKind,
    ProviderMember,
    ProviderOrganisation,
)
from marketplace.accounts import services
from marketplace.accounts.forms import (
    ActionForm,
    DetailsForm,
    ForgottenPasswordForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from marketplace.accounts.models import Authority
from marketplace.accounts.roles import Role, Scope
from marketplace.db import db
from marketplace.i18n import _safe_next
from marketplace.mail import email_user
from marketplace.security import ACTING_KEY, person, public, roles, signed_in, today

auth_bp = Blueprint("auth", __name__)
acting_bp = Blueprint("acting", __name__, url_prefix="/acting")
people_bp = Blueprint("people", __name__, url_prefix="/my")


def _client_ip() -> str:
    return request.remote_addr or "unknown"


def _start_session(user) -> None:
    """Renew the session on sign-in: nothing from before survives but the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    session.permanent = True


@auth_bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        throttle = services.Throttle(current_app.config["LOGIN_MAX_FAILURES"],
                                     current_app.config["LOGIN_WINDOW_SECONDS"])
        try:
            user = services.authenticate(db.session, form.email.data, form.password.data,
                                         _client_ip(), throttle)
        except services.TooManyAttempts as exc:
            db.session.rollback()
            error = _("Too many failed attempts to sign in. For your security, wait "
                      "%(minutes)d minutes and try again, or reset your password.",
                      minutes=exc.minutes)
        except services.BadCredentials:
            db.session.commit()  # keep the failed attempt for throttling
            error = _("The email address or password is not right. Check them and try again.")
        else:
            db.session.commit()
            next_url = request.args.get("next")
            _start_session(user)
            return redirect(_safe_next(next_url) if next_url else url_for("home.index"))
        form.email.errors = [*form.email.errors, error]
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("auth/sign_in.html", form=form), status


@auth_bp.post("/sign-out")
@public
def sign_out():
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "success")
    return redirect(url_for("pages.home"))


@auth_bp.route("/register", methods=["GET", "POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        role = Role(form.account_kind.data)
        try:
            user = services.create_user(
                db.session, email=form.email.data, full_name=form.full_name.data,
                password=form.password.data, roles=[(role, None)],
            )
        except services.EmailTaken:
            form.email.errors = [_("There is already an account with this email address. "
                                   "Sign in, or reset your password if you have forgotten it.")]
        else:
            org_name = (form.organisation_name.data or "").strip()
            if role is Role.PROVIDER_STAFF:
                org = ProviderOrganisation(name=org_name, kind=ProviderKind.MICRO_PROVIDER,
                                           email=user.email)
                org.members.append(ProviderMember(user_id=user.id,
                                                  member_role=MemberRole.OWNER))
                db.session.add(org)
            elif role is Role.COMMUNITY_ORGANISER:
                group = CommunityOrganisation(name=org_name, email=user.email)
                group.organisers.append(CommunityOrganiser(user_id=user.id))
                db.session.add(group)
            user.preferred_language = str(get_locale() or "en")
            email_user(db.session, user, _l("Your account has been created"),
                       "email/welcome.txt")
            db.session.commit()
            _start_session(user)
            flash(_("Your account has been created."), "success")
            return redirect(url_for("home.index"))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("auth/register.html", form=form), status


@auth_bp.route("/password/forgotten", methods=["GET", "POST"])
@public
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data)
        if user is not None and user.is_active_account:
            ttl = current_app.config["PASSWORD_RESET_TTL_SECONDS"]
            token = services.start_password_reset(db.session, user, ttl)
            link = url_for("auth.reset_password", token=token, _external=True)
            email_user(db.session, user, _l("Reset your password"),
                       "email/reset_password.txt", link=link, minutes=ttl // 60)
            db.session.commit()
        # The same answer whether or not an account exists.
        return render_template("auth/reset_sent.html", email=form.email.data)
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("auth/forgotten_password.html", form=form), status


@auth_bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        services.check_reset_token(db.session, token)
    except services.InvalidResetToken:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(db.session, token, form.password.data)
        email_user(db.session, user, _l("Your password has been changed"),
                   "email/password_changed.txt")
        db.session.commit()
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("auth.sign_in"))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("auth/reset_password.html", form=form), status


# --- acting for someone ---------------------------------------------------------

@acting_bp.get("/")
@roles(Role.REPRESENTATIVE)
def choose():
    authorities = services.current_authorities_of(db.session, current_user, today())
    return render_template("acting/choose.html", authorities=authorities, form=ActionForm(),
                           next_url=request.args.get("next"))


@acting_bp.post("/start/<int:authority_id>")
@roles(Role.REPRESENTATIVE)
def start(authority_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    authority = db.session.get(Authority, authority_id)
    if (authority is None or authority.representative_id != current_user.id
            or not authority.is_current(today())):
        abort(403)
    session[ACTING_KEY] = authority.id
    flash(_("You are now acting for %(name)s.", name=authority.holder.full_name), "success")
    next_url = request.args.get("next")
    return redirect(_safe_next(next_url) if next_url else url_for("people.home"))


@acting_bp.post("/stop")
@signed_in
def stop():
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    session.pop(ACTING_KEY, None)
    flash(_("You are no longer acting for anyone."), "success")
    return redirect(url_for("home.index"))


# --- the person's own pages -----------------------------------------------------

@people_bp.get("/")
@person(Scope.VIEW)
def home():
    holder = g.person
    authorities = services.authorities_for_holder(db.session, holder)
    return render_template("people/home.html", holder=holder, authorities=authorities,
                           today=today())


@people_bp.get("/details")
@person(Scope.VIEW)
def details():
    return render_template("people/details.html", holder=g.person)


@people_bp.route("/details/change", methods=["GET", "POST"])
@person(Scope.ORDER)
def change_details():
    holder = g.person
    form = DetailsForm(obj=holder)
    if form.validate_on_submit():
        holder.phone = (form.phone.data or "").strip() or None
        holder.preferred_contact = form.preferred_contact.data
        holder.communication_needs = (form.communication_needs.data or "").strip() or None
        holder.postcode = (form.postcode.data or "").strip().upper() or None
        db.session.commit()
        flash(_("The details have been saved."), "success")
        return redirect(url_for("people.details"))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("people/change_details.html", form=form, holder=holder), status
