"""The demo history's people: a few hundred fictional budget holders of the demo
council and a few dozen self-funders, who they are (postcode district, client
group, year of birth, language), what they need, and how their money is held.

Pure data from a seeded random generator (``make_people``); the accounts and
budgets are then made by ``marketplace.reports.demo_budgets``. Every name is
made up, from lists of common first names and surnames.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from marketplace.budgets.enums import ClientGroup, HoldingMethod
from marketplace.reports.demo_needs import PROFILES, YEARLY, G, N, Need, Out

HM = HoldingMethod

HISTORY_DOMAIN = "history.ashdown.example"
MONTHS = 18                     # how far back the history goes, this month included
HOLDERS = 180
SELF_FUNDERS = 24
# The first gap: people who need a personal assistant who speaks Urdu, in two
# districts that no Urdu-speaking personal assistant covers (the only one in the
# demo catalogue, Tariq Mahmood PA, works within 6 km of Northolt: HA0, HA1, HA2,
# HA4 and HA5), and a few more where he does work.
URDU_GAP_DISTRICTS = ("HA3", "HA9")
URDU_PER_GAP_DISTRICT = 9
URDU_ELSEWHERE = ("HA1", "HA2", "HA1", "HA0", "HA2", "HA4")

DISTRICT_WEIGHTS = {"HA0": 10, "HA1": 14, "HA2": 12, "HA3": 13, "HA4": 7, "HA5": 9,
                    "HA6": 5, "HA7": 8, "HA8": 10, "HA9": 12}
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

FIRST = ["Aaron", "Abdul", "Ada", "Adebayo", "Agnes", "Ajay", "Alan", "Alice", "Amara",
         "Amina", "Andrzej", "Angela", "Anita", "Anthony", "Asha", "Audrey", "Barbara", "Barry",
         "Beatrice", "Bharat", "Blessing", "Brian", "Carmen", "Catherine", "Chidi", "Chloe",
         "Christine", "Colin", "Connor", "Daniela", "Darren", "Deborah", "Dennis", "Dev",
         "Doreen", "Edward", "Efua", "Elena", "Elsie", "Emeka", "Emily", "Ewa", "Fiona",
         "Florence", "Gaurav", "Geoffrey", "Gloria", "Gordon", "Hassan", "Hazel", "Hemant",
         "Ian", "Ifeoma", "Isaac", "Jacob", "Janet", "Jasmine", "Jaswinder", "Jean", "Jerome",
         "Josephine", "Julia", "Kamala", "Karen", "Kevin", "Kiran", "Kofi", "Krystyna", "Lakshmi",
         "Lena", "Lilian", "Linda", "Luca", "Lucy", "Malcolm", "Manjula", "Marek", "Maria",
         "Marjorie", "Maureen", "Maya", "Mohamed", "Monica", "Nadia", "Neil", "Nikhil",
         "Norma", "Oliver", "Olufemi", "Pamela", "Patricia", "Paul", "Peter", "Pooja", "Rachel",
         "Raymond", "Rita", "Robert", "Roya", "Ruby", "Sandra", "Sean", "Shirley", "Simon",
         "Sofia", "Stephen", "Sylvia", "Teresa", "Theo", "Tomasz", "Usha", "Valerie", "Vera",
         "Victor", "Vijay", "Wendy", "Winston", "Yasmin", "Yusuf", "Zainab", "Zofia"]
LAST = ["Abbott", "Achebe", "Adams", "Agarwal", "Allen", "Amin", "Asante", "Baker", "Banerjee",
        "Barker", "Bello", "Bhatt", "Boateng", "Brennan", "Brown", "Campbell", "Carter",
        "Chauhan", "Collins", "Cooper", "Costa", "Dalton", "Desai", "Dixon", "Doshi", "Edwards",
        "Eze", "Fernandes", "Finch", "Fisher", "Foster", "Gallagher", "Ghosh", "Gill", "Gordon",
        "Grant", "Green", "Gupta", "Hall", "Harris", "Hayes", "Hill", "Hoang", "Holt", "Ibrahim",
        "Iyer", "Jackson", "Jaworski", "Joshi", "Kamara", "Kaur", "Kelly", "Kennedy",
        "Kumar", "Lal", "Lambert", "Lee", "Lopez", "Lowe", "Marsh", "Martin", "Mehta",
        "Mitchell", "Moore", "Mistry", "Nair", "Nash", "Novak", "Obi", "Okonkwo", "Oliveira",
        "Osei", "Owen", "Palmer", "Pandya", "Parker", "Parmar", "Pereira", "Phillips", "Popescu",
        "Quinn", "Rahman", "Rao", "Reid", "Reyes", "Richards", "Rossi", "Ryan", "Santos",
        "Saunders", "Scott", "Sharma", "Simmons", "Solanki", "Stewart", "Sutton", "Taylor",
        "Thakkar", "Turner", "Vaughan", "Verma", "Wallace", "Ward", "Watson", "Webb", "White",
        "Wilson", "Wiśniewski", "Wood", "Wright", "Young", "Zielinski"]
URDU_FIRST = ["Nasreen", "Bilal", "Farhana", "Zubair", "Rukhsana", "Shahid", "Saima", "Arshad",
              "Parveen", "Khalid", "Shabana", "Tahir", "Naseem", "Asif", "Razia", "Imtiaz",
              "Samina", "Waqar", "Bushra", "Javed", "Kausar", "Nadeem", "Tahira", "Sajid"]
URDU_LAST = ["Qureshi", "Malik", "Chaudhry", "Rashid", "Iqbal", "Mirza", "Butt", "Siddiqui",
             "Anwar", "Sheikh", "Hashmi", "Raza", "Awan", "Bhatti"]


# How money is held, for a first budget (a renewal may move to a direct payment);
# people with home care may have it held by the agency as an ISF instead.
HOLDING_WEIGHTS = ((HM.DIRECT_PAYMENT, 52), (HM.COUNCIL_MANAGED, 30), (HM.MANAGED_ACCOUNT, 18))
ISF_PROVIDERS = ("Harrow Home Care Ltd", "Bluebell Care Services", "Caremark Pinner",
                 "Carewatch North West London")
MANAGED_ACCOUNTS = ("Pinner Budget Support", "Direct Payments Support Service")


@dataclass
class Person:
    number: int
    email: str
    name: str
    district: str
    postcode: str
    group: ClientGroup | None  # None: a self-funder
    birth_year: int
    needs: list[Need]
    anchor: int = 0            # month (0 = the first month of the history) a budget starts
    holding: HoldingMethod = HM.DIRECT_PAYMENT
    holder_of: str | None = None  # the ISF provider or managed-account organisation
    costs: dict = field(default_factory=dict)  # bought need -> pence a year
    own: list[Need] = field(default_factory=list)  # needs they pay for themselves
    language: str | None = None
    urdu_gap: bool = False     # one of the people the first gap is about
    bought: list[Need] = field(default_factory=list)  # needs their plan puts money on
    user_id: int | None = None
    periods: list = field(default_factory=list)  # filled by demo_budgets

    @property
    def yearly_pence(self) -> int:
        return sum(self.costs.values())

    @property
    def self_funder(self) -> bool:
        return self.group is None

    def age_on(self, day: date) -> int:
        return day.year - self.birth_year


def _pick(rng, weighted):
    total = sum(w for _v, w in weighted)
    roll = rng.uniform(0, total)
    for value, weight in weighted:
        roll -= weight
        if roll <= 0:
            return value
    return weighted[-1][0]


def health_budget(person: Person) -> bool:
    """Some people with physical support needs have an NHS personal health budget."""
    return person.group is G.PHYSICAL_SUPPORT and person.number % 4 == 1


def _pays_for_meals(rng, person: Person) -> None:
    """A personal health budget, held as a direct payment, cannot pay for meals: the
    person pays for those themselves (by card), and the budget pays for the rest."""
    person.holding, person.holder_of = HM.DIRECT_PAYMENT, None
    person.needs = [n for n in person.needs if n.domain is not Out.HEALTH_AND_WELLBEING]
    if not any(n is N["care"] for n in person.needs):
        person.needs = [N["care"], *(n for n in person.needs
                                     if n.domain is not Out.DAILY_LIVING)]
    person.needs.append(N["meals"])
    person.own = [N["meals"]]
    person.bought = [n for n in person.bought if n in person.needs] or [N["care"]]
    person.costs = {n: person.costs.get(n) or rng.randrange(*YEARLY[n], 20) * 100
                    for n in person.bought}


def bought(rng, needs: list[Need], speaks_urdu: bool) -> list[Need]:
    """The needs a plan puts money on: short breaks and (for people who speak Urdu) a
    personal assistant always, and one other need in two plans out of three (always,
    when there is nothing else); family, friends and free groups help with the rest."""
    chosen, other = [], False
    for need in needs:
        gap = need.planned == "short-breaks" or (
            speaks_urdu and need.planned == "personal-assistant")
        if gap or (not other and rng.random() < .65):
            chosen.append(need)
            other = other or not gap
    return chosen or needs[:1]


def postcode(rng, district: str) -> str:
    return f"{district} {rng.randint(1, 9)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"


def _needs(rng, group: ClientGroup) -> list[Need]:
    chosen: dict[Out, Need] = {}
    for key, chance in PROFILES[group].needs:
        need = N[key]
        if rng.random() < chance and need.domain not in chosen:
            chosen[need.domain] = need
    if not chosen:  # everyone with a budget needs something
        first = N[PROFILES[group].needs[0][0]]
        chosen[first.domain] = first
    return list(chosen.values())


def make_people(rng, today: date, agencies: Callable[[str], list[str]]) -> list[Person]:
    """The budget holders (with the Urdu-gap people among them) and the self-funders.
    ``agencies(district)``: the home care agencies that could hold an Individual
    Service Fund there (they provide personal care in the district)."""
    districts = list(DISTRICT_WEIGHTS.items())
    groups = [(g, p.weight) for g, p in PROFILES.items()]
    people: list[Person] = []
    urdu = [(d, True) for d in URDU_GAP_DISTRICTS for _ in range(URDU_PER_GAP_DISTRICT)]
    urdu += [(d, False) for d in URDU_ELSEWHERE]
    for number in range(HOLDERS + SELF_FUNDERS):
        funded = number < HOLDERS
        speaks_urdu = funded and number < len(urdu)
        if speaks_urdu:
            district, gap = urdu[number]
            group = rng.choice([G.PHYSICAL_SUPPORT, G.PHYSICAL_SUPPORT, G.SENSORY_SUPPORT,
                                G.MENTAL_HEALTH, G.LEARNING_DISABILITY])
            name = f"{URDU_FIRST[number % len(URDU_FIRST)]} {rng.choice(URDU_LAST)}"
        else:
            district, gap = _pick(rng, districts), False
            group = _pick(rng, groups) if funded else None
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        profile = PROFILES.get(group or G.PHYSICAL_SUPPORT)
        low, high = profile.ages
        person = Person(
            number=number, email=f"person{number + 1:04d}@{HISTORY_DOMAIN}", name=name,
            district=district, postcode=postcode(rng, district), group=group,
            birth_year=today.year - rng.randint(low, high), needs=[],
            language="ur" if speaks_urdu else None, urdu_gap=gap)
        if funded:
            person.needs = _needs(rng, group)
            if speaks_urdu:  # a personal assistant who speaks Urdu, whatever else
                person.needs = [n for n in person.needs if n.domain is not Out.DAILY_LIVING]
                person.needs.insert(0, N["pa_home"])
            # Some people had a budget before the history starts; more and more got
            # one during it (take-up is growing). The Urdu-gap people have had theirs
            # for a while, so their gap is not new.
            person.anchor = (rng.randint(-10, 6) if gap
                             else -11 + int((MONTHS + 11) * rng.random() ** .6))
            person.bought = bought(rng, person.needs, speaks_urdu)
            person.costs = {need: rng.randrange(*YEARLY[need], 20) * 100
                            for need in person.bought}
            person.holding = _pick(rng, HOLDING_WEIGHTS)
            near = agencies(district)
            if near and any(n.planned == "personal-care" for n in person.bought) and \
                    rng.random() < .35:
                # A home care agency holds the money as an Individual Service Fund.
                person.holding = HM.INDIVIDUAL_SERVICE_FUND
                person.holder_of = rng.choice(near)
            elif person.holding is HM.MANAGED_ACCOUNT:
                person.holder_of = rng.choice(MANAGED_ACCOUNTS)
            if health_budget(person):
                _pays_for_meals(rng, person)
        else:  # self-funders buy the everyday support older people buy most
            person.needs = _needs(rng, rng.choice([G.PHYSICAL_SUPPORT, G.SOCIAL_SUPPORT]))
            person.anchor = rng.randint(0, MONTHS - 2)
        people.append(person)
    return people
