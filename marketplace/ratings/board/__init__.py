""""What works for me" (issue 8): a moderated board where budget holders, self-funders
and representatives share experience and tips by topic; plus the moderation screens
for board posts and for questions and answers about services
(``marketplace.ratings.questions``).

Blueprints: ``board`` (``/what-works-for-me``: anyone reads published posts; people
who buy support, and their representatives, post, reply and say "this helped me";
anyone signed in reports) and ``council_posts`` (``/council/posts``: administrators
and council officers moderate posts, questions and answers with the same rules and
safeguarding route as reviews, ``marketplace.ratings.moderation``).
"""

from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/what-works-for-me")
council_bp = Blueprint("council_posts", __name__, url_prefix="/council/posts")


def init_app(app) -> None:
    from marketplace.ratings.board import concerns, views, views_council  # noqa: F401

    app.register_blueprint(bp)
    app.register_blueprint(council_bp)
    concerns.init_app(app)
