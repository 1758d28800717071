"""What each demo person tried to buy, and what happened: pure decisions from a seeded
random generator and the public catalogue, before anything is written.

For every need in an agreed support plan the person usually orders something that
covers their district (the Urdu-speaking people look only at personal assistants
who speak Urdu). Most orders are accepted and start within days. The two gaps:

- short breaks: few providers with little capacity, so most orders are declined for
  lack of capacity or never answered; those accepted start weeks or months later,
  and people try again, or give up;
- a personal assistant who speaks Urdu, in HA3 and HA9: none covers those districts;
  the only one asked declines (not his area), and a local PA who does not speak Urdu
  is cancelled after a few visits, so nobody there ends up with one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from marketplace.ordering.reasons import EndReason
from marketplace.ordering.schedule import Schedule, ScheduleKind
from marketplace.reports.demo_budgets import Period
from marketplace.reports.demo_catalogue import Catalogue, Offer
from marketplace.reports.demo_needs import Need

URDU_PA = "Tariq Mahmood PA"
SHORT_BREAKS = "short-breaks"
REPLY_DAYS = 5  # ORDER_PROVIDER_REPLY_DAYS, the default: unanswered orders expire then


@dataclass
class Attempt:
    """One order: who, what, when, and its story."""

    period: Period
    need: Need
    offer: Offer
    placed_on: date
    schedule: Schedule
    outcome: str  # accepted, declined, expired, withdrawn, waiting; "not placed" (refused)
    answered_on: date | None = None
    stop_on: date | None = None    # cancelled by the person after it started
    reason: str | None = None
    code: EndReason | None = None
    order_id: int | None = None

    def visits(self, today: date) -> list[date]:
        """The visits that happened: from the start to yesterday (or to the day
        before the person cancelled)."""
        if self.outcome != "accepted":
            return []
        last = self.stop_on - timedelta(days=1) if self.stop_on else today - timedelta(days=1)
        return self.schedule.visits_between(self.schedule.starts_on,
                                            min(last, today - timedelta(days=1)))


DECLINES = {
    SHORT_BREAKS: [
        ("We are fully booked: we have no short break places until the spring.",
         EndReason.NO_CAPACITY),
        ("All our overnight places are taken for the next three months.",
         EndReason.NO_CAPACITY),
        ("We cannot offer the weekends you asked for; our carers are booked.",
         EndReason.TIMES_NOT_AVAILABLE),
    ],
    "": [("We have no one free on those days at the moment.", EndReason.NO_CAPACITY),
         ("We cannot visit at those times.", EndReason.TIMES_NOT_AVAILABLE)],
}
WITHDRAWALS = [("It was going to take too long to start.", EndReason.TOOK_TOO_LONG),
               ("My family has found another way to help.", EndReason.FOUND_OTHER_SUPPORT),
               ("I do not need it any more.", EndReason.NO_LONGER_NEEDED)]
URDU_DECLINE = ("I do not cover that area: it is too far from Northolt for me.",
                EndReason.AREA_NOT_COVERED)
URDU_CANCEL = ("The PA does not speak Urdu and we could not understand each other.",
               EndReason.NOT_WHAT_I_NEED)


def _slot(offer: Offer, rng) -> tuple[list[int], time, time]:
    if not offer.slots:
        return [rng.randint(0, 4)], time(10), time(12)
    weekday, start, end = rng.choice(offer.slots)
    days = sorted({weekday} | {d for d, s, _e in offer.slots if s == start})
    return days, start, end


def _size(offer: Offer, days: int, span: int, weekly_pence: int) -> tuple[int, int]:
    """(visits a week, hundredths of a unit each visit) costing about ``weekly_pence``
    at the public price, within the opening times and at least the minimum booking."""
    choices = []
    for visits in range(1, days + 1):
        least = -(-offer.min_units * 100 // visits)
        sizes = [100, 150, 200, 300, 400] if offer.unit == "hour" else [100]
        for size in sizes:
            size = max(size, least)
            if offer.unit == "hour" and size * 60 > span * 100:
                continue
            cost = offer.price_pence * size // 100 * visits
            choices.append((abs(cost - weekly_pence), visits, size))
    if not choices:  # the minimum booking does not fit the opening times
        return 1, max(100, span * 100 // 60 // 25 * 25) if offer.unit == "hour" else 100
    _gap, visits, size = min(choices)
    return visits, size


def schedule_for(rng, offer: Offer, starts_on: date, weeks: int | None, period_end: date,
                 weekly_pence: int) -> Schedule:
    """A schedule the service can take, costing about ``weekly_pence`` a week: visits
    on its opening days, within its opening times, at least its minimum booking
    (equipment is a one-off)."""
    days, start, end = _slot(offer, rng)
    span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if offer.unit == "item" and not offer.category.startswith("meals"):  # a one-off
        return Schedule(ScheduleKind.ONE_OFF, starts_on, max(100, offer.min_units * 100),
                        start_time=start, end_time=end if span > 0 else None)
    visits, hours = _size(offer, len(days), span, weekly_pence)
    chosen = sorted(rng.sample(days, visits))
    if offer.unit == "hour":
        minutes = start.hour * 60 + start.minute + hours * 60 // 100
        finish = time(minutes // 60, minutes % 60)
    else:
        finish = end
    first = starts_on + timedelta(days=(chosen[0] - starts_on.weekday()) % 7)
    last_day = None if weeks is None else min(first + timedelta(weeks=weeks, days=-1),
                                              period_end)
    return Schedule(ScheduleKind.RECURRING, first, hours, ends_on=last_day,
                    weekdays=frozenset(chosen), start_time=start, end_time=finish)


def _offers(catalogue: Catalogue, period: Period, need: Need, on: date) -> list[Offer]:
    person = period.person
    language = person.language if need.planned == "personal-assistant" else None
    found = []
    stream = None if need in person.own else period.stream  # paid by card
    for category in need.buys:
        found += catalogue.choices(category, person.district, stream=stream,
                                   age=person.age_on(on), language=language)
    if person.holder_of and need.planned == "personal-care":
        own = [o for o in found if o.provider_name == person.holder_of]
        found = own or found
    return found


def plan_attempts(rng, catalogue: Catalogue, period: Period, today: date,
                  earliest: date) -> tuple[list[Attempt], list[Need]]:
    """The orders placed for each need of the period's plan, and the needs nothing
    was found for (the person searched, and gave up)."""
    attempts, unmet = [], []
    person = period.person
    for need in [*period.bought, *person.own]:
        placed = max(period.agreed_on + timedelta(days=rng.randint(2, 30)),
                     earliest - timedelta(days=rng.randint(0, 40)))
        if placed >= min(today, period.ends_on - timedelta(days=30)):
            continue
        if person.urdu_gap and need.planned == "personal-assistant":
            attempts += _urdu_gap(rng, catalogue, period, need, placed, today)
            unmet.append(need)
            continue
        offers = _offers(catalogue, period, need, placed)
        if not offers:
            unmet.append(need)
            continue
        tries, mine = 2, []
        for _try in range(tries):
            attempt = _attempt(rng, period, need, rng.choice(offers), placed, today)
            if attempt is None:
                break
            mine.append(attempt)
            if attempt.outcome == "accepted" or placed > today - timedelta(days=40):
                break
            if rng.random() < .5:
                break  # gave up
            placed = (attempt.answered_on or placed) + timedelta(days=rng.randint(3, 20))
        attempts += mine + _follow_on(rng, mine[-1] if mine else None, today)
    return attempts, unmet


def _attempt(rng, period: Period, need: Need, offer: Offer, placed: date,
             today: date) -> Attempt | None:
    """One order and its answer (None when it could not start within the budget year)."""
    short = need.planned == SHORT_BREAKS
    wait = rng.randint(35, 110) if short else max(offer.lead_days, rng.randint(2, 12))
    wait = min(wait, (period.ends_on - placed).days - 28)
    if wait < max(offer.lead_days, 1):
        return None
    starts = placed + timedelta(days=wait)
    weeks = rng.randint(8, 24)
    if period.ends_on > today and starts + timedelta(weeks=weeks) > today and \
            rng.random() < .5:
        weeks = None  # open-ended: still going
    # The money planned for the need, spread over the weeks the order runs.
    lasting = weeks or max(4, (period.ends_on - starts).days // 7)
    weekly = (period.planned.get(need, 0) * 9 // 10 // lasting
              or rng.randrange(6_000, 20_000, 500))
    attempt = Attempt(period, need, offer, placed,
                      schedule_for(rng, offer, starts, weeks, period.ends_on, weekly),
                      outcome="accepted")
    roll = rng.random()
    answer = placed + timedelta(days=rng.randint(1, 4))
    declined, expired, withdrawn = (.5, .18, .08) if short else (.06, .03, .05)
    if roll < declined:
        kind = SHORT_BREAKS if short else ""
        attempt.outcome, attempt.answered_on = "declined", answer
        attempt.reason, attempt.code = rng.choice(DECLINES[kind])
    elif roll < declined + expired:
        attempt.outcome = "expired"
        attempt.answered_on = placed + timedelta(days=REPLY_DAYS + 1)
    elif roll < declined + expired + withdrawn:
        attempt.outcome, attempt.answered_on = "withdrawn", answer
        attempt.reason, attempt.code = WITHDRAWALS[0] if short else rng.choice(WITHDRAWALS)
    else:
        attempt.answered_on = answer
    if attempt.answered_on > today:  # still waiting for the provider
        attempt.outcome, attempt.answered_on = "waiting", None
    return attempt


def _follow_on(rng, last: Attempt | None, today: date) -> list[Attempt]:
    """When a fixed-term order ends well before the budget year does, the person
    usually orders the same support again."""
    if last is None or last.outcome != "accepted" or last.schedule.ends_on is None:
        return []
    period = last.period
    again = last.schedule.ends_on + timedelta(days=rng.randint(3, 21))
    if again >= min(today, period.ends_on - timedelta(days=30)) or rng.random() < .75:
        return []
    attempt = _attempt(rng, period, last.need, last.offer, again - timedelta(days=3), today)
    if attempt is None:
        return []
    if attempt.outcome != "accepted":
        return [attempt]
    return [attempt, *_follow_on(rng, attempt, today)]


def _urdu_gap(rng, catalogue: Catalogue, period: Period, need: Need, placed: date,
              today: date) -> list[Attempt]:
    """Nobody who speaks Urdu covers the district: the person asks the one Urdu-
    speaking PA (who declines: not his area), or tries a local PA who does not speak
    Urdu and cancels after a few visits, or gives up after searching."""
    person = period.person
    roll = rng.random()
    if roll < .35 or placed > today - timedelta(days=10):
        return []  # searched, found nobody, and did not order
    urdu = [o for o in catalogue.by_name(URDU_PA, need.buys[-1])
            if o.accepts(period.stream)]
    if roll < .7 and urdu:
        attempt = _attempt(rng, period, need, urdu[0], placed, today)
        if attempt is None:
            return []
        attempt.outcome, attempt.answered_on = "declined", placed + timedelta(days=2)
        attempt.reason, attempt.code = URDU_DECLINE
        return [attempt]
    local = [o for category in need.buys for o in catalogue.choices(
        category, person.district, stream=period.stream, age=person.age_on(placed))]
    if not local:
        return []
    attempt = _attempt(rng, period, need, rng.choice(local), placed, today)
    if attempt is None:
        return []
    if attempt.outcome == "accepted":
        attempt.schedule = schedule_for(rng, attempt.offer, placed + timedelta(days=5), None,
                                        period.ends_on,
                                        period.planned.get(need, 0) // 52 or 8_000)
        attempt.stop_on = attempt.schedule.starts_on + timedelta(days=rng.randint(10, 24))
        attempt.reason, attempt.code = URDU_CANCEL
        if attempt.stop_on >= today:  # recent: cancelled after meeting the PA
            attempt.stop_on, attempt.outcome = None, "withdrawn"
    return [attempt]
