"""The demo programme as plain rows: activities, enrollments, attendance, signals.

Pure and seeded, like ``api.demo.data``, and built from the reception data as stored (so
a database seeded on another day still gets a programme that fits its people and stays).
The rules the API enforces hold by construction: only participants of an activity's
target groups, placed in Heemstede while enrolled; at most one enrollment per person and
activity; never more open enrollments than places; attendance only on session dates
within the activity's and the enrollment's dates. Signals carry no names.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from api.models import (
    ActivityKind,
    AttendanceStatus,
    EnrollmentStatus,
    Group,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
)

SEED = 2027
ATTENDANCE_WEEKS = 12
UK, AMV = Group.ukrainian_displaced.value, Group.unaccompanied_minor.value
# The first offer marks the programme as seeded.
MARK = "NT2-les A1 (Bibliotheek Heemstede)"
# The neighbours' evening at the Dreef was an activity with enrollments of residents of the
# location; residents are never participants, so it is a Meeting now (api.demo.meetings).
# Its offer is still drawn, so the random stream (and every other row) stays as it was, and
# `build` drops its activity, enrollments and attendance.
EVENING = "Buurtavond AMV Heemsteedse Dreef 156"


@dataclass(frozen=True)
class Offer:
    """An activity of the demo: ``begins``/``ends`` in days before today (ends None: open
    end); ``weekday`` of its sessions (Monday 0) and every ``step`` days; ``share`` of the
    eligible people who ever enroll."""

    title: str
    kind: ActivityKind
    provider: str
    schedule: str
    begins: int
    ends: int | None
    weekday: int
    capacity: int | None = None
    groups: tuple[str, ...] = ()
    venue: str | None = None  # a demo location's name
    min_age: int = 0
    share: float = 0.3
    step: int = 7


OFFERS = [
    Offer("NT2-les A1 (Bibliotheek Heemstede)", ActivityKind.language, "Bibliotheek Heemstede", "dinsdag en donderdag 09:30-11:30", 600, None, 1, 16, (UK,), min_age=16, share=0.5),  # noqa: E501
    Offer("NT2-les A2/B1 (Bibliotheek Heemstede)", ActivityKind.language, "Bibliotheek Heemstede", "woensdag 13:30-15:30", 400, None, 2, 14, (UK, AMV), min_age=14, share=0.3),  # noqa: E501
    Offer("Taalcafé Bibliotheek Heemstede", ActivityKind.language, "Bibliotheek Heemstede", "zaterdag 10:30-12:00", 700, None, 5, None, (), min_age=12, share=0.15),  # noqa: E501
    Offer("Voetbaltraining Sportclub Heemstede", ActivityKind.sport, "Sportclub Heemstede", "woensdag 17:00-18:30", 500, None, 2, 20, (), min_age=8, share=0.25),  # noqa: E501
    Offer("Vrijwilligerswerk Welzijn Heemstede", ActivityKind.volunteering, "Welzijn Heemstede", "maandag 09:00-13:00", 450, None, 0, 12, (UK,), min_age=18, share=0.2),  # noqa: E501
    Offer("Huiswerkbegeleiding AMV", ActivityKind.education, "Welzijn Heemstede", "maandag en donderdag 16:00-18:00", 420, None, 3, 10, (AMV,), "AMV Heemsteedse Dreef 156", share=0.6),  # noqa: E501
    Offer("Werkfit-traject", ActivityKind.work, "Gemeente Heemstede", "vrijdag 09:00-12:00", 365, 30, 4, 10, (UK,), min_age=18, share=0.15),  # noqa: E501
    Offer("Inloopochtend GOO Kerklaan", ActivityKind.daytime, "Welzijn Heemstede", "donderdag 10:00-12:00", 650, None, 3, None, (UK,), "GOO Kerklaan", share=0.2),  # noqa: E501
    Offer("Spreekuur GZA", ActivityKind.health, "GZA Gezondheidszorg Asielzoekers", "eerste dinsdag van de maand", 300, None, 1, None, (), "AMV Heemsteedse Dreef 156", share=0.0, step=28),  # noqa: E501
    Offer("Burenontmoeting Heemsteedse Dreef", ActivityKind.community, "Welzijn Heemstede", "elke vier weken op zondag 15:00-17:00", 380, None, 6, 30, (), "AMV Heemsteedse Dreef 156", share=0.5, step=28),  # noqa: E501
    Offer(EVENING, ActivityKind.information_meeting, "Gemeente Heemstede", "eenmalig 19:30-21:00", 45, 45, -1, 80, (), "AMV Heemsteedse Dreef 156", share=0.6),  # noqa: E501 - dropped in build
]  # fmt: skip

# (category, severity, source, where: location kind or None, summary, follow-up notes)
Spec = tuple[SignalCategory, Severity, SignalSource, str | None, str, list[str]]
SIGNALS: list[Spec] = [
    (SignalCategory.nuisance, Severity.medium, SignalSource.resident, "municipal_ukrainian", "Geluidsoverlast in de avond rond de ingang.", ["Gesprek met de locatiebeheerder.", "Huisregels opnieuw besproken met bewoners."]),  # noqa: E501
    (SignalCategory.nuisance, Severity.low, SignalSource.resident, "municipal_ukrainian", "Afval naast de containers op de parkeerplaats.", ["Extra ophaalmoment afgesproken."]),  # noqa: E501
    (SignalCategory.nuisance, Severity.medium, SignalSource.resident, "amv_small_scale", "Jongeren tot laat op het pleintje voor de opvang.", ["Jongerenwerk loopt extra rondes.", "Buurtavond gepland."]),  # noqa: E501
    (SignalCategory.social_tension, Severity.medium, SignalSource.partner, "municipal_ukrainian", "Spanning tussen twee huishoudens over het gebruik van de keuken.", ["Bemiddeling door maatschappelijk werk."]),  # noqa: E501
    (SignalCategory.social_tension, Severity.low, SignalSource.resident, None, "Vragen in de buurt over de komst van tijdelijke woningen.", ["Informatiebrief verstuurd."]),  # noqa: E501
    (SignalCategory.need, Severity.medium, SignalSource.participant, "municipal_ukrainian", "Behoefte aan kinderopvang tijdens de taallessen.", ["Navraag bij de kinderopvang gedaan."]),  # noqa: E501
    (SignalCategory.need, Severity.low, SignalSource.staff, "private_hosting", "Gastgezin vraagt om ondersteuning bij administratie.", ["Vrijwilliger gekoppeld."]),  # noqa: E501
    (SignalCategory.need, Severity.medium, SignalSource.partner, "amv_small_scale", "Meer sportaanbod gevraagd voor de jongeren.", ["Contact met de sportclub gelegd."]),  # noqa: E501
    (SignalCategory.question, Severity.low, SignalSource.resident, None, "Hoe kan ik helpen als vrijwilliger?", ["Doorverwezen naar de Vrijwilligerscentrale."]),  # noqa: E501
    (SignalCategory.question, Severity.low, SignalSource.participant, "municipal_ukrainian", "Vraag over het leefgeld in de zomermaanden.", []),  # noqa: E501
    (SignalCategory.question, Severity.low, SignalSource.resident, "amv_small_scale", "Wie is het aanspreekpunt voor omwonenden?", ["Contactgegevens gedeeld."]),  # noqa: E501
    (SignalCategory.compliment, Severity.low, SignalSource.resident, "municipal_ukrainian", "Bewoners hielpen mee met de buurtschoonmaak.", []),  # noqa: E501
    (SignalCategory.compliment, Severity.low, SignalSource.partner, "amv_small_scale", "Goede samenwerking met de voetbalclub.", []),  # noqa: E501
    (SignalCategory.health, Severity.medium, SignalSource.staff, "municipal_ukrainian", "Zorgen over de bereikbaarheid van de huisarts.", ["Afspraak met GZA over een extra spreekuur."]),  # noqa: E501
    (SignalCategory.safety, Severity.medium, SignalSource.staff, "municipal_ukrainian", "Defecte buitenverlichting bij de fietsenstalling.", ["Melding bij de gemeente gedaan.", "Verlichting hersteld."]),  # noqa: E501
    (SignalCategory.capacity, Severity.medium, SignalSource.staff, "municipal_ukrainian", "Locatie bijna vol; nieuwe aanmeldingen verwacht.", ["Overleg over uitbreiding."]),  # noqa: E501
]  # fmt: skip
# Recent high-severity signals: (days ago, status, category, kind, summary, notes).
# Two are open and older than 7 days, so the dashboard shows them as overdue.
HIGH: list[tuple[int, SignalStatus, SignalCategory, str, str, list[str]]] = [
    (12, SignalStatus.in_progress, SignalCategory.social_tension, "amv_small_scale", "Ruzie tussen bewoners en buurtjongeren; politie ter plaatse geweest.", ["Gesprek met wijkagent.", "Overleg met Nidos en COA."]),  # noqa: E501
    (9, SignalStatus.open, SignalCategory.safety, "municipal_ukrainian", "Brandalarm herhaaldelijk uitgeschakeld in de gang.", []),  # noqa: E501
    (2, SignalStatus.open, SignalCategory.nuisance, "municipal_ukrainian", "Aanhoudende overlast 's nachts volgens meerdere omwonenden.", []),  # noqa: E501
    (160, SignalStatus.resolved, SignalCategory.safety, "amv_small_scale", "Onveilige verkeerssituatie bij de oversteek naar school.", ["Verkeersregelaar ingezet.", "Zebrapad aangelegd."]),  # noqa: E501
    (400, SignalStatus.resolved, SignalCategory.capacity, "municipal_ukrainian", "Meer aanmeldingen dan plekken verwacht.", ["Tijdelijke woningen versneld."]),  # noqa: E501
]  # fmt: skip
ROUTINE_SIGNALS = 25  # spread over the two years, mostly resolved
RECENT = 5


@dataclass
class Programme:
    activities: list[dict[str, Any]] = field(default_factory=list)
    enrollments: list[dict[str, Any]] = field(default_factory=list)
    attendance: list[dict[str, Any]] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Stored:
    """The reception data as stored: locations ``(id, name, kind, opened_on, closed_on,
    operator name)``, people ``(id, group, date_of_birth)``, stays ``(participant_id,
    start_date, end_date)``; partners and demo users by name and email."""

    locations: list[tuple[Any, ...]]
    people: list[tuple[Any, ...]]
    stays: list[tuple[Any, ...]]
    partners: dict[str, uuid.UUID]
    users: dict[str, uuid.UUID]


def _age(born: date | None, on: date) -> int:
    if born is None:
        return 30
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Builder:
    def __init__(self, today: date, stored: Stored) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
        self.today = today
        self.stored = stored
        self.out = Programme()
        # Each person's time in Heemstede: first arrival, last departure (None: still here).
        spans: dict[Any, tuple[date, date | None]] = {}
        for person, start, end in stored.stays:
            first, last = spans.get(person, (start, end))
            last = None if end is None or last is None else max(last, end)
            spans[person] = (min(first, start), last)
        self.spans = spans
        self.venues = {row[1]: row[0] for row in stored.locations}

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, day: date, hour_from: int = 8, hour_to: int = 21) -> datetime:
        clock = time(self.rng.randint(hour_from, hour_to), self.rng.choice((0, 15, 30, 45)))
        return datetime.combine(day, clock, UTC)

    # --- activities, enrollments, attendance -------------------------------------------

    def activity(self, offer: Offer) -> None:
        starts = self.today - timedelta(days=offer.begins)
        ends = None if offer.ends is None else self.today - timedelta(days=offer.ends)
        row = {
            "id": self.uid(),
            "title": offer.title,
            "kind": offer.kind,
            "provider_partner_id": self.stored.partners[offer.provider],
            "location_id": self.venues.get(offer.venue) if offer.venue else None,
            "starts_on": starts,
            "ends_on": ends,
            "schedule": offer.schedule,
            # The weekday the demo's sessions (and their attendance) fall on, ISO-numbered.
            "weekdays": [offer.weekday + 1] if offer.weekday >= 0 else [],
            "capacity": offer.capacity,
            "target_groups": list(offer.groups),
        }
        self.out.activities.append(row)
        self.enroll(offer, row)

    def enroll(self, offer: Offer, act: dict[str, Any]) -> None:
        starts: date = act["starts_on"]
        last_day: date = min(act["ends_on"] or self.today, self.today)
        if last_day < starts or offer.share <= 0:
            return
        people = sorted(self.stored.people, key=lambda p: str(p[0]))
        self.rng.shuffle(people)
        places, one_off = offer.capacity, starts == act["ends_on"]
        for person, group, born in people:
            if (offer.groups and group not in offer.groups) or person not in self.spans:
                continue
            arrived, left = self.spans[person]
            first, last = max(arrived, starts), min(left or last_day, last_day)
            if last < first or _age(born, first) < offer.min_age:
                continue
            if self.rng.random() > offer.share:
                continue
            on = (
                first if one_off else first + timedelta(self.rng.randrange((last - first).days + 1))
            )
            # Open only for someone still here, in an activity still running, with room.
            running = act["ends_on"] is None or act["ends_on"] >= self.today
            room = places is None or places > 0
            if left is None and running and room and self.rng.random() < 0.8:
                recent = (self.today - on).days < 14
                status = EnrollmentStatus.enrolled if recent else EnrollmentStatus.active
                ended = None
                places = None if places is None else places - 1
            else:
                status = self.rng.choices(
                    [EnrollmentStatus.completed, EnrollmentStatus.dropped_out], [70, 30]
                )[0]
                ended = on + timedelta(self.rng.randrange((last - on).days + 1))
                if one_off:
                    status, ended = EnrollmentStatus.completed, on
            row = {
                "id": self.uid(),
                "activity_id": act["id"],
                "participant_id": person,
                "enrolled_on": on,
                "status": status,
                "ended_on": ended,
            }
            self.out.enrollments.append(row)
            self.attend(offer, act, row)

    def sessions(self, offer: Offer, act: dict[str, Any]) -> list[date]:
        if act["starts_on"] == act["ends_on"]:  # a one-off meeting
            return [act["starts_on"]] if act["starts_on"] <= self.today else []
        latest = self.today - timedelta(days=(self.today.weekday() - offer.weekday) % 7)
        first = max(self.today - timedelta(weeks=ATTENDANCE_WEEKS), act["starts_on"])
        # The last session on the offer's weekday, also for an activity that has ended.
        end = min(act["ends_on"] or latest, latest)
        last = end - timedelta(days=(end.weekday() - offer.weekday) % 7)
        days, day = [], last
        while day >= first:
            days.append(day)
            day -= timedelta(days=offer.step)
        return days[::-1]

    def attend(self, offer: Offer, act: dict[str, Any], row: dict[str, Any]) -> None:
        until = row["ended_on"] or self.today
        for day in self.sessions(offer, act):
            if row["enrolled_on"] <= day <= until:
                status = self.rng.choices(
                    [AttendanceStatus.present, AttendanceStatus.absent, AttendanceStatus.excused],
                    [80, 12, 8],
                )[0]
                self.out.attendance.append(
                    {
                        "id": self.uid(),
                        "activity_id": act["id"],
                        "enrollment_id": row["id"],
                        "participant_id": row["participant_id"],
                        "session_date": day,
                        "status": status,
                    }
                )

    # --- signals ---------------------------------------------------------------------

    def place(self, kind: str | None, day: date) -> tuple[Any, str | None]:
        """A location of ``kind`` open on ``day``, and its operator; or none."""
        if kind is None:
            return None, None
        open_ = [
            loc
            for loc in self.stored.locations
            if loc[2] == kind and loc[3] <= day and (loc[4] is None or day < loc[4])
        ]
        if not open_:
            return None, None
        loc = self.rng.choice(sorted(open_, key=lambda r: str(r[0])))
        return loc[0], loc[5]

    def signal(
        self,
        spec: Spec,
        days_ago: int,
        status: SignalStatus,
    ) -> None:
        category, severity, source, kind, summary, notes = spec
        reported = self.at(self.today - timedelta(days=days_ago))
        location, operator = self.place(kind, reported.date())
        # Reported at least a day ago: midnight today is after it and before any clock.
        midnight = datetime.combine(self.today, time(0), UTC)
        resolved = None
        if status is SignalStatus.resolved:
            resolved = min(reported + timedelta(days=self.rng.randint(1, 25)), midnight)
        row = {
            "id": self.uid(),
            "reported_at": reported,
            "source": source,
            "category": category,
            "severity": severity,
            "location_id": location,
            "summary": summary,
            "status": status,
            "resolved_at": resolved,
            # Picked up by the coordinator once in progress; open ones have no owner yet.
            "owner_user_id": (
                None
                if status is SignalStatus.open
                else self.stored.users.get("coordinator@heemstede.example")
            ),
        }
        self.out.signals.append(row)
        # The partner operating the location writes some of the follow-up; the rest, the
        # coordinator. Notes fall between the report and its resolution (or now).
        partner_user = {"COA": "coa@coa.example"}.get(operator or "")
        end = resolved or midnight
        for i, note in enumerate(notes):
            by_partner = partner_user is not None and self.rng.random() < 0.4
            email = partner_user if by_partner else "coordinator@heemstede.example"
            at = reported + (end - reported) * (i + 1) / (len(notes) + 1)
            self.out.actions.append(
                {
                    "id": self.uid(),
                    "signal_id": row["id"],
                    "note": note,
                    "author_type": "user",
                    "author_id": str(self.stored.users[email]) if email else None,
                    "author_role": "partner" if by_partner else "coordinator",
                    "created_at": at,
                }
            )

    def signals(self) -> None:
        for days_ago, status, category, kind, summary, notes in HIGH:
            spec: Spec = (category, Severity.high, SignalSource.resident, kind, summary, notes)
            self.signal(spec, days_ago, status)
        for n in range(ROUTINE_SIGNALS):
            spec = SIGNALS[n % len(SIGNALS)]
            # A few came in this month and are being worked on; the rest are history.
            days_ago = self.rng.randint(1, 30) if n < RECENT else self.rng.randint(31, 720)
            if days_ago > 30:
                status = SignalStatus.resolved
            else:
                status = self.rng.choice([SignalStatus.open, SignalStatus.in_progress])
            self.signal(spec, days_ago, status)


def build(today: date, stored: Stored) -> Programme:
    builder = _Builder(today, stored)
    for offer in OFFERS:
        builder.activity(offer)
    builder.signals()
    out = builder.out
    dropped = {a["id"] for a in out.activities if a["title"] == EVENING}
    out.activities = [a for a in out.activities if a["id"] not in dropped]
    out.enrollments = [e for e in out.enrollments if e["activity_id"] not in dropped]
    out.attendance = [a for a in out.attendance if a["activity_id"] not in dropped]
    return out
