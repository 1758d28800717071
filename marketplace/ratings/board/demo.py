"""Demo "what works for me" conversations and questions about services, written by
the demo's own budget holders, self-funder and representatives (one acting for the
person she supports), answered by the demo provider's staff: most published and
moderated by the demo council officer, with replies and "this helped me"; one post
and one reply waiting for a moderator, one post reported, one post from someone
worried about safety (in the safeguarding queue, never published), one question
waiting and one unanswered. Deterministic, and added once only.

Called by ``marketplace.ratings.demo.seed_ratings``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from catalogue.models import ProviderMember, Service, ServiceStatus
from marketplace.accounts.models import Authority, User
from marketplace.ratings import questions
from marketplace.ratings.board import services as board
from marketplace.ratings.board.models import BoardPost, BoardTopic
from marketplace.ratings.models import ReportReason, ReviewStatus
from marketplace.ratings.questions_models import ServiceQuestion

T = BoardTopic
# (topic, title, text, author, days ago, published, [(reply author, text, published)],
#  people it helped). Authors are demo e-mail names; "rep+" is Sarah Okafor acting for
# the person she supports.
THREADS = [
    (T.FINDING_A_PA, "Finding a PA who speaks Gujarati",
     "I advertised on the council's PA register and in the community centre newsletter. "
     "The newsletter worked much better: three people replied within a week.",
     "holder02", 40, True,
     [("holder", "The register worked for me in the end, but it took a month. Ask for "
                 "two references and pay for a trial shift first.", True),
      ("rep", "We found ours through the local carers' group. Worth asking there too.",
       True)],
     ["holder", "holder03", "selffunder"]),
    (T.DIRECT_PAYMENTS, "Keeping receipts for the direct payment",
     "I photograph every receipt on the day and keep them in one folder on my phone. "
     "When the council checked my account it took ten minutes.",
     "holder", 30, True,
     [("holder03", "I do the same, and I note what each payment was for in the photo's "
                   "caption. Saves a lot of head-scratching later.", True)],
     ["holder02", "rep"]),
    (T.SHORT_BREAKS, "A weekend break that worked for both of us",
     "Mum and I used a respite weekend at a seaside guest house that has care staff. "
     "Book early if you want the summer: they fill up by March.",
     "rep+", 21, True, [], ["holder", "holder04"]),
    (T.TRANSPORT, "Community transport instead of taxis",
     "The community minibus takes me to the day centre for a fraction of the taxi fare. "
     "You book by phone the day before.",
     "selffunder", 14, True,
     [("holder04", "Does it have a wheelchair lift?", False)], ["holder"]),
    (T.BEING_AN_EMPLOYER, "Which payroll service do you use?",
     "I now employ two PAs and the payslips are taking me hours. Has anyone used a payroll "
     "service they would recommend?", "holder03", 3, False, [], []),
    (T.THINGS_TO_DO, "Gardening group on Thursdays",
     "There is a friendly gardening group at the allotments on Thursday mornings. Tools "
     "and tea provided, and the paths are step-free.", "holder04", 9, True, [],
     ["holder02"]),
]
WORRIED = (T.OTHER, "Not sure who to tell",
           "My PA shouts at me when I ask for help with my tablets and I am scared to say "
           "anything.", "holder05", 2)
QUESTIONS = [  # (asker, text, days ago, published, answer)
    ("holder", "Do your carers work on Sunday mornings?", 20, True,
     "Yes. We visit seven days a week from 7am, and Sunday visits cost the same."),
    ("selffunder", "Can the same carer come each time?", 12, True,
     "We keep a small team of two or three carers for each person, and tell you in "
     "advance if that has to change."),
    ("holder02", "Do you have carers who speak Gujarati?", 6, True, None),
    ("rep", "Can you help with shopping as well as personal care?", 1, False, None),
]


def _at(today: date, days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour), tzinfo=UTC)


def _people(session) -> dict[str, User]:
    names = ("holder", "holder02", "holder03", "holder04", "holder05", "selffunder", "rep")
    found = {u.email.split("@")[0]: u for u in session.scalars(
        select(User).where(User.email.in_([f"{n}@ashdown.example" for n in names])))}
    return found if len(found) == len(names) else {}


def _writer(session, people, name) -> board.Writer:
    if name != "rep+":
        return board.Writer(people[name])
    authority = session.scalar(select(Authority).where(
        Authority.representative_id == people["rep"].id,
        Authority.holder_id == people["holder"].id))
    return board.Writer(people["rep"], authority)


def _moderated(item, officer, when) -> None:
    item.review_status = ReviewStatus.PUBLISHED
    item.moderated_by_id, item.moderated_at = officer.id, when


def _dated(item, when) -> None:
    item.created_at = item.updated_at = when


def seed_conversations(session, today: date) -> int:
    """Board posts and questions; returns how many posts and questions were made."""
    people = _people(session)
    officer = session.scalar(select(User).where(User.email == "officer@ashdown.example"))
    if not people or officer is None or session.scalar(select(func.count(BoardPost.id))):
        return 0
    made = 0
    for topic, title, text, author, days, published, replies, helped in THREADS:
        post, _new = board.start_thread(session, _writer(session, people, author), topic=topic,
                                        title=title, text=text)
        _dated(post, _at(today, days))
        made += 1
        if not published:
            continue
        _moderated(post, officer, _at(today, days - 1))
        for number, (who, words, shown) in enumerate(replies, start=1):
            answer, _new = board.reply(session, _writer(session, people, who), post, text=words)
            _dated(answer, _at(today, days, 10 + number))
            made += 1
            if shown:
                _moderated(answer, officer, _at(today, days - 1, 12))
        for who in helped:
            board.set_helped(session, post, people[who], True)
        session.flush()
        if topic is T.THINGS_TO_DO:
            board.report(session, post, reason=ReportReason.ADVERTISING,
                         details="This looks like an advert for the allotment society.",
                         reporter=people["holder03"])
    topic, title, text, author, days = WORRIED
    worried, _new = board.start_thread(session, board.Writer(people[author]), topic=topic,
                                       title=title, text=text, worried=True)
    _dated(worried, _at(today, days))
    return made + 1 + _questions(session, people, officer, today)


def _questions(session, people, officer, today: date) -> int:
    if session.scalar(select(func.count(ServiceQuestion.id))):
        return 0
    # A service of the demo provider owner's organisation (provider@ashdown.example).
    member = session.execute(
        select(ProviderMember.user_id, Service)
        .join(Service, Service.provider_id == ProviderMember.provider_id)
        .join(User, User.id == ProviderMember.user_id)
        .where(Service.status == ServiceStatus.PUBLISHED)
        .order_by((User.email == "provider@ashdown.example").desc(), ProviderMember.id,
                  Service.id).limit(1)).first()
    if member is None:
        return 0
    author, service = session.get(User, member[0]), member[1]
    for asker, text, days, published, reply in QUESTIONS:
        question, _new = questions.ask(session, board.Writer(people[asker]), service, text=text)
        _dated(question, _at(today, days))
        if not published:
            continue
        _moderated(question, officer, _at(today, days, 15))
        if reply:
            answer = questions.answer(session, question, text=reply, author=author,
                                      editing=False)
            _dated(answer, _at(today, days - 1))
    session.flush()
    return len(QUESTIONS)
