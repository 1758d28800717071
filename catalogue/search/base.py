"""What both back ends do the same way: the order of attempts for misspelt or
over-specific words, "did you mean", and the rating sort.

1. Search for services matching every word.
2. Nothing found, and a word is not one we know: correct the unknown words to the
   closest known ones, search for those, and say so ("did you mean").
3. Still nothing, and several words: search for services matching any of them.
A few results (fewer than ``SUGGEST_BELOW``) for words we do not know also get a
"did you mean" link, without replacing the results.

Back ends implement ``_run`` (one page of hits, the total and the facet counts for
some tokens) and ``_vocabulary`` (known words near a misspelt one).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace

from catalogue.search import SearchQuery, SearchResults, Sort, rating_filter, rating_source
from catalogue.search.text import best_correction, tokens

SUGGEST_BELOW = 3


@dataclass
class RunResult:
    hits: list
    total: int
    facets: dict


class SearchBackend(ABC):
    name = "base"

    def search(self, session, query: SearchQuery) -> SearchResults:
        if query.min_rating is not None and query.rated_ids is None:
            chosen = rating_filter()
            rated = chosen(session, query.min_rating) if chosen is not None else ()
            query = replace(query, rated_ids=frozenset(rated))
        words = tokens(query.words)
        if query.words and not words:
            return SearchResults(query=query, no_usable_words=True, searched_words=query.words,
                                 facets={})
        run = self._ordered_run(session, query, words, any_word=False)
        results = SearchResults(query=query, hits=run.hits, total=run.total, facets=run.facets,
                                searched_words=query.words)
        if not words or run.total >= SUGGEST_BELOW:
            return results
        corrected = self.correct(session, words)
        if corrected and run.total == 0:
            again = self._ordered_run(session, query, corrected, any_word=False)
            if again.total:
                return SearchResults(query=query, hits=again.hits, total=again.total,
                                     facets=again.facets, suggestion=" ".join(corrected),
                                     searched_words=" ".join(corrected))
        if corrected:
            results.suggestion = " ".join(corrected)
        if run.total == 0 and len(words) > 1:
            loose = self._ordered_run(session, query, corrected or words, any_word=True)
            if loose.total:
                return SearchResults(query=query, hits=loose.hits, total=loose.total,
                                     facets=loose.facets, suggestion=results.suggestion,
                                     searched_words=" ".join(corrected or words),
                                     any_word=True)
        return results

    def correct(self, session, words: list[str]) -> list[str] | None:
        """The words with unknown ones replaced by the closest known word, or None
        when every word is known or none can be corrected."""
        known, candidates = self._vocabulary(session, words)
        corrected, changed = [], False
        for word in words:
            if word in known:
                corrected.append(word)
                continue
            best = best_correction(word, candidates.get(word, {}))
            corrected.append(best or word)
            changed = changed or best is not None
        return corrected if changed else None

    def _ordered_run(self, session, query, words, any_word) -> RunResult:
        source = rating_source()
        if query.sort is not Sort.RATING or source is None:
            return self._run(session, query, words, any_word)
        # Every match in relevance order, then a stable sort by average rating.
        everything = replace(query, page=1, per_page=10**9)
        run = self._run(session, everything, words, any_word)
        ratings = source(session, [hit.service_id for hit in run.hits])

        def by_rating(hit):  # highest first, unrated last; sorted() keeps relevance order
            rating = ratings.get(hit.service_id)
            return (1, 0.0) if rating is None else (0, -rating)

        ordered = sorted(run.hits, key=by_rating)
        run.hits = ordered[query.offset:query.offset + query.per_page]
        return run

    # --- what each back end provides -------------------------------------------------

    @abstractmethod
    def _run(self, session, query: SearchQuery, words: list[str], any_word: bool) -> RunResult:
        """One page of hits, the total and the facet counts for these words."""

    @abstractmethod
    def _vocabulary(self, session, words: list[str]) -> tuple[set[str], dict[str, dict]]:
        """(the words that are known, {unknown word: {known word near it: count}})."""

    def close(self) -> None:  # noqa: B027 - optional: most back ends hold nothing
        """Let go of files and caches (a back end is made once per app)."""
