"""Invented but realistic demo data: real county names, made-up people.

Sessions are placed relative to today so the demo always has something on now, today,
this week and later, and a closed course whose application window is open."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .courses.service import ApplicantDetails, decide_application, submit_application
from .db_types import utcnow
from .extensions import db
from .groups.models import Group, GroupKind, InstructionLanguage, Session, Theme
from .people.models import Area, FacilitatorKind, Role, User
from .rules.capacity import Decision
from .rules.rotation import SeriesSpec, plan_series
from .series.models import Series, SeriesSession

HELSINKI = ZoneInfo("Europe/Helsinki")

AREAS = [
    ("lansi-uusimaa", "Länsi-Uudenmaan hyvinvointialue", "Västra Nylands välfärdsområde", "fi,sv"),
    ("pohjois-karjala", "Pohjois-Karjalan hyvinvointialue", "Norra Karelens välfärdsområde", "fi"),
    ("varsinais-suomi", "Varsinais-Suomen hyvinvointialue",
     "Egentliga Finlands välfärdsområde", "fi,sv"),
    ("pohjanmaa", "Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde", "sv,fi"),
]

# (email, first, last, area code, role, kind, language)
STAFF = [
    ("ohjaaja.lu@example.com", "Aino", "Mäkelä", "lansi-uusimaa", Role.FACILITATOR,
     FacilitatorKind.PROFESSIONAL, "fi"),
    ("handledare.lu@example.com", "Linnea", "Holm", "lansi-uusimaa", Role.FACILITATOR,
     FacilitatorKind.PROFESSIONAL, "sv"),
    ("ohjaaja.pk@example.com", "Ville", "Turunen", "pohjois-karjala", Role.FACILITATOR,
     FacilitatorKind.PROFESSIONAL, "fi"),
    ("kokemus.pk@example.com", "Sari", "Kettunen", "pohjois-karjala", Role.FACILITATOR,
     FacilitatorKind.EXPERIENCE_EXPERT, "fi"),
    ("ohjaaja.vs@example.com", "Mikko", "Laine", "varsinais-suomi", Role.FACILITATOR,
     FacilitatorKind.PROFESSIONAL, "fi"),
    ("handledare.ob@example.com", "Elin", "Sundqvist", "pohjanmaa", Role.FACILITATOR,
     FacilitatorKind.PROFESSIONAL, "sv"),
    ("koordinaattori@example.com", "Henna", "Rantala", "varsinais-suomi", Role.COORDINATOR,
     None, "fi"),
    ("admin@example.com", "Olli", "Ylönen", "pohjois-karjala", Role.ADMIN, None, "fi"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def _series(group: Group, first: date, hour: int, minutes: int, count: int, weeks: int,
            staff: dict[str, list[User]], topics: list[tuple[str, str, str]]) -> None:
    """A co-run series planned like a coordinator's: the co-running areas host in their
    rotation order, Finnish holidays are skipped, and the spec is stored for editing."""
    facilitators = [u for area in group.areas for u in staff[area.code]
                    if u.role == Role.FACILITATOR][:6]
    spec = SeriesSpec(
        host_order=tuple(a.id for a in group.areas), weekday=first.weekday(),
        start_time=time(hour), duration=timedelta(minutes=minutes), interval_weeks=weeks,
        first_date=first, count=count,
    )
    series = Series(group=group)
    series.apply(spec)
    series.set_facilitators(facilitators)
    db.session.add(series)
    areas = {a.id: a for a in group.areas}
    for planned in plan_series(spec).sessions:
        host = areas[planned.host]
        topic = topics[planned.index % len(topics)]
        session = Session(
            starts_at=planned.starts_at, ends_at=planned.ends_at, host_area=host,
            facilitators=[u for u in facilitators if u.area is host][:2],
            topic_fi=topic[0], topic_sv=topic[1], topic_en=topic[2],
        )
        group.sessions.append(session)
        series.members.append(SeriesSession(session=session, index=planned.index))


TOPICS = [
    ("Ravinto ja arjen jaksaminen", "Kost och ork i vardagen", "Food and everyday energy"),
    ("Liikunta omalla tavalla", "Motion på ditt sätt", "Exercise your way"),
    ("Mielen hyvinvointi", "Psykiskt välbefinnande", "Mental wellbeing"),
    ("Lepo ja uni", "Vila och sömn", "Rest and sleep"),
    ("Kulttuuri ja luovuus", "Kultur och kreativitet", "Culture and creativity"),
]


def seed_demo(now: datetime | None = None) -> list[tuple[str, str]]:
    """Fill an empty database; return (e-mail, password) of the staff created."""
    if db.session.scalar(select(Area.id).limit(1)) is not None:
        return []
    now = now or utcnow()
    today = now.astimezone(HELSINKI).date()
    areas = {code: Area(code=code, name_fi=fi, name_sv=sv, languages=langs)
             for code, fi, sv, langs in AREAS}
    db.session.add_all(areas.values())
    created: list[tuple[str, str]] = []
    staff: dict[str, list[User]] = {code: [] for code in areas}
    for email, first_name, last_name, code, role, kind, lang in STAFF:
        user = User(email=email, first_name=first_name, last_name=last_name, area=areas[code],
                    role=role, facilitator_kind=kind, language=lang)
        password = f"demo-{first_name.lower()}-2026"
        user.set_password(password)
        staff[code].append(user)
        created.append((email, password))
    db.session.add_all(u for users in staff.values() for u in users)
    db.session.flush()  # area ids are the rotation's keys

    # A cross-area open group hosted in rotating weeks, as in the pilot of three counties.
    open_fi = Group(
        kind=GroupKind.OPEN, theme=Theme.MENTAL_WELLBEING,
        instruction_language=InstructionLanguage.FI,
        title_fi="Hyvinvointia etänä – avoin ryhmä",
        title_sv="Välmående på distans – öppen grupp (på finska)",
        title_en="Wellbeing remotely – open group (in Finnish)",
        summary_fi="Avoin etäryhmä kaikille. Tule sellaisena kuin olet, "
                   "ilmoittautumista ei tarvita.",
        summary_sv="Öppen distansgrupp för alla. Ingen anmälan behövs.",
        summary_en="An open remote group for everyone. No need to sign up.",
        description_fi=("Ryhmää ohjaavat vuoroviikoin kolmen hyvinvointialueen ohjaajat. "
                        "Aiheina ravinto, liikunta ja mielen hyvinvointi. Voit liittyä "
                        "videolla tai puhelimella, ja kameran saa pitää kiinni."),
        description_sv=("Handledare från tre välfärdsområden leder gruppen en vecka i taget. "
                        "Temana är kost, motion och psykiskt välbefinnande. Du kan gå med via "
                        "video eller per telefon, och kameran får vara avstängd."),
    )
    db.session.add(open_fi)
    open_fi.set_areas([areas["lansi-uusimaa"], areas["pohjois-karjala"], areas["varsinais-suomi"]])
    # Starts last week so the series has a past, and one session is on right now.
    first = today - timedelta(days=7)
    _series(open_fi, first, 13, 120, 10, 1, staff, TOPICS)

    open_sv = Group(
        kind=GroupKind.OPEN, theme=Theme.PEER_SUPPORT,
        instruction_language=InstructionLanguage.SV,
        title_fi="Vertaistukiryhmä ruotsiksi", title_sv="Kamratstödsgrupp på svenska",
        title_en="Peer support group in Swedish",
        summary_fi="Ruotsinkielinen avoin vertaistukiryhmä joka toinen viikko.",
        summary_sv="Öppen kamratstödsgrupp på svenska varannan vecka.",
        summary_en="An open peer support group in Swedish every second week.",
        description_fi="Keskustelua arjesta, jaksamisesta ja omista tavoitteista.",
        description_sv="Samtal om vardagen, orken och egna mål. Varje träff börjar med en runda.",
    )
    db.session.add(open_sv)
    open_sv.set_areas([areas["pohjanmaa"], areas["lansi-uusimaa"]])
    _series(open_sv, today + timedelta(days=2), 17, 90, 8, 2, staff, TOPICS)

    course = Group(
        kind=GroupKind.CLOSED, theme=Theme.WORK_ABILITY,
        instruction_language=InstructionLanguage.FI, capacity=8,
        applications_open_at=now - timedelta(days=7),
        applications_close_at=now + timedelta(days=14),
        title_fi="Arjen voimavarat – kurssi osatyökykyisille",
        title_sv="Resurser i vardagen – kurs för personer med partiell arbetsförmåga",
        title_en="Everyday resources – a course for people with partial work ability",
        summary_fi="Haettava kurssi, 10 tapaamista. Hakuaika on käynnissä.",
        summary_sv="Kurs med ansökan, 10 träffar (på finska). Ansökningstiden pågår.",
        summary_en="A course with applications, 10 sessions (in Finnish). Applications are open.",
        description_fi=("Kymmenen tapaamista liikunnasta, ravinnosta, levosta ja työkykyä "
                        "tukevista palveluista. 4–8 osallistujaa valitaan hakemusten perusteella."),
        description_sv=("Tio träffar om motion, kost, vila och stöd för arbetsförmågan. "
                        "4–8 deltagare väljs bland de sökande."),
    )
    db.session.add(course)
    course.set_areas([areas["pohjois-karjala"], areas["varsinais-suomi"]])
    _series(course, today + timedelta(days=21), 14, 150, 10, 1, staff, TOPICS)

    _one_on_now(open_fi, now)
    db.session.commit()
    _applications(course, list(areas.values()), staff["pohjois-karjala"][0], now)
    return created


# Invented applicants: (name, e-mail, home area index, language, why, decision)
APPLICANTS = [
    ("Maija Esimerkki", "maija.esimerkki@example.com", 1, "fi",
     "Haluan oppia jaksamaan arjessa paremmin.", Decision.ACCEPT),
    ("Pekka Testinen", "pekka.testinen@example.com", 2, "fi",
     "Etsin vertaistukea ja säännöllisyyttä viikkoon.", Decision.ACCEPT),
    ("Stina Exempel", "stina.exempel@example.com", 0, "sv",
     "Jag vill hitta motion som passar mig.", None),
    ("Kalle Kokeilu", "kalle.kokeilu@example.com", 1, "fi",
     "Osatyökykyisenä haluan tietoa tukimuodoista.", Decision.WAITLIST),
]


def _applications(course: Group, areas: list[Area], facilitator: User, now: datetime) -> None:
    """A few applications in every state, made through the real service (encrypted texts,
    confirmation and decision mails in the outbox) so the review pages have something."""
    for name, email, area_index, lang, why, decision in APPLICANTS:
        details = ApplicantDetails(
            name=name, email=email, phone="", home_area_id=areas[area_index].id,
            language=lang, motivation=why, support_needs="", wants_reminders=True)
        submitted = submit_application(course, details, now)
        db.session.commit()
        if decision is not None:
            decide_application(course.id, submitted.application.id, decision, "",
                               facilitator, now)
            db.session.commit()


def _one_on_now(group: Group, now: datetime) -> None:
    """Move the open group's session nearest today so that it is on now: the join button works
    the moment the demo starts."""
    nearest = min(group.sessions, key=lambda s: abs(s.starts_at - now))
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=30 + now.minute % 5)
    nearest.starts_at = start
    nearest.ends_at = start + timedelta(minutes=120)
