"""Ratings and reviews by people who really bought (issue 8).

Blueprints: ``ratings`` (the buyer rating a service; the public review pages, the
rules and reporting), ``provider_reviews`` (provider staff: their reviews and
replies; ``/provider/reviews``), ``council_reviews`` (moderation by council officers
and administrators; ``/council/reviews``) and ``safeguarding`` (council officers;
``/council/safeguarding``). Pure rules in ``rules``; operations in ``services`` and
``moderation``; the commissioners' figures in ``reports``.

The catalogue never imports this package: the service and provider pages include
the partials named in ``service_page_ratings`` / ``provider_page_ratings`` (a
context processor here), and search sorts by rating through
``catalogue.search.register_rating_source`` and filters by a minimum rating through
``register_rating_filter``.

Also here: ``board`` ("what works for me", and the moderation of posts, questions
and answers: ``council_posts``, ``/council/posts``), ``questions_views`` (questions
and answers on service pages; ``questions``) and ``quality`` (council officers set
their council's quality score of a provider; ``/council/quality-scores``).
"""

from flask import Blueprint

bp = Blueprint("ratings", __name__)
provider_bp = Blueprint("provider_reviews", __name__, url_prefix="/provider/reviews")
council_bp = Blueprint("council_reviews", __name__, url_prefix="/council/reviews")
safeguarding_bp = Blueprint("safeguarding", __name__, url_prefix="/council/safeguarding")


def init_app(app) -> None:
    from catalogue.search import register_rating_source
    from marketplace.ratings import views, views_council, views_provider  # noqa: F401
    from marketplace.ratings.rules import one_decimal
    from marketplace.ratings.services import search_ratings

    for blueprint in (bp, provider_bp, council_bp, safeguarding_bp):
        app.register_blueprint(blueprint)
    register_rating_source(search_ratings)
    app.add_template_global(one_decimal, "one_decimal")
    # "What works for me", questions and answers on service pages, council quality
    # scores, and the search's minimum-rating filter.
    from catalogue.search import register_rating_filter
    from marketplace.ratings import board, quality, questions_views
    from marketplace.ratings.search_filter import rated_at_least

    board.init_app(app)
    app.register_blueprint(questions_views.bp)
    quality.init_app(app)
    register_rating_filter(rated_at_least)
