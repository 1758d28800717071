"""Commissioner reports (issue 9): market gaps, spend and audit, take-up and
outcomes, for a council, a period, an area and a category.

Each report is a builder ``build(session, filters) -> tables.Report`` registered in
``registry``; one generic page (``views``) shows any report with its filters,
server-drawn SVG charts each followed by its table, a CSV download of every table,
and the printable "market position" pack (``pack``, PDF). Figures about fewer than
5 people are hidden once, when the ``Report`` is made (``aggregates``), so the page,
the CSV and the PDF can only ever show suppressed figures. Auditors' pages about
individual people (council officers and finance officers, never commissioners)
are separate views that write an audit row for every look.
"""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/council/reports")


def init_app(app) -> None:
    import marketplace.reports.audit_views  # noqa: F401
    from marketplace.reports import builders, views  # noqa: F401

    app.register_blueprint(bp)
