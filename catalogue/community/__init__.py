"""The Community Catalogue: free and low-cost local groups, activities, events and
voluntary services, kept fresh by their organisers and moderated by the council.

- ``vocabulary``: categories, needs, circumstances and accessibility (as code);
- ``schedules``: pure functions that check and expand ORUK schedules into dates;
- ``freshness``: when a listing is public, flagged or hidden;
- ``operations``: services that take the session and flush;
- ``public``, ``organiser``, ``moderation``: the three blueprints.

This module imports nothing, so the vocabulary and the pure rules can be used
without the views (the Open Referral UK API and import use them).
"""
