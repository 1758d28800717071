"""Extensions, created unbound and bound in create_app."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
wtforms_helpers = WTFormsHelpers()
