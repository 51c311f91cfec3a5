"""Load a large, realistic data set for the benchmark (issue 14): ``generate_scale_data --scale N``.

N=1 is the size the outside measurement used: 20,000 projects, 200,000 events over 15 years, 50,000 activity reports
with 500,000 items, 20,000 focal points in 40,000 memberships, 3,000 meetings with 30,000 action items. Every size
is multiplied by N (``--scale 0.01`` for CI).

Rows go in with PostgreSQL ``COPY`` (ids assigned here, sequences moved on afterwards), not through the services:
the point is volume, and the services' per-row validation would take hours. Values are clustered the way real data
is (a few themes, States and seasons carry most events), so the duplicate check finds candidates at a realistic
rate. A marker table records the scale loaded; running again at the same scale does nothing, at another scale it
refuses unless ``--force`` (then the generated rows are replaced, the reference data kept).
PostgreSQL only; the SQLite demo has no need for it.
"""

from __future__ import annotations

import io
import json
import math
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q

MARKER_TABLE = "bench_scale_marker"
# Bumped when the generated data change shape: a database loaded by an older generator is then loaded again.
GENERATOR_VERSION = 4
# Events the benchmark itself posts (bench/run.py); removed when the data set is reused, so runs do not pile up
# near-identical events that match each other and slow every later event create down.
BENCH_EVENT_PREFIX = "SCALE-Bench"
# Recurring event topics per sub-area at N=1: a series repeats its title, as a yearly course does. The pool grows
# with N, so the chance that two events of one State, sub-area and fortnight belong to the same series (the
# overlaps the duplicate check should find) stays the same at every scale; 100 puts an alert on a few per cent of
# events (bench/README.md, "Alert density").
TOPICS_AT_N1 = 100
MIN_TOPICS = 5
# Words that topic titles are made of; three per topic, so two topics rarely share one.
VOCABULARY = 4000
FIRST_YEAR, YEARS = 2011, 15

# The sizes at N=1 (issue 14).
SIZES = {
    "projects": 20_000,
    "events": 200_000,
    "reports": 50_000,
    "items": 500_000,
    "focal_points": 20_000,
    "memberships": 40_000,
    "meetings": 3_000,
    "actions": 30_000,
}
# Structures the reports need: one report per structure and month, monthly over 15 years = 180 per structure.
MONTHS = YEARS * 12
SEED_PREFIX = "SCALE-"


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class Copier:
    """COPY rows of one table, with the model's own defaults for the columns a row leaves out."""

    def __init__(self, model, *, now: datetime):
        self.model = model
        self.table = model._meta.db_table
        # Auto-created M2M tables keep their own id sequence; the others get ids assigned here.
        # Generated columns (a model's search text) are computed by the database and cannot be COPYed.
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not (model._meta.auto_created and f.primary_key) and not f.generated
        ]
        self.columns = [f.column for f in self.fields]
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default() and not callable(f.default):
                self.defaults[f.attname] = f.get_default()
            elif f.has_default() and f.default is uuid.uuid4:
                self.defaults[f.attname] = uuid.uuid4  # per row
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif (
                f.blank
                and not f.null
                and f.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField", "FileField")
            ):
                self.defaults[f.attname] = ""
            else:
                self.defaults[f.attname] = None
        self.buffer = io.StringIO()
        self.count = 0

    def next_id(self) -> int:
        with connection.cursor() as cur:
            cur.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{self.table}"')  # noqa: S608 - table names from model meta
            return cur.fetchone()[0]

    def add(self, **values) -> None:
        out = []
        for f in self.fields:
            v = values[f.attname] if f.attname in values else self.defaults[f.attname]
            if v is uuid.uuid4:
                v = uuid.uuid4()
            out.append(_copy_value(v))
        self.buffer.write("\t".join(out))
        self.buffer.write("\n")
        self.count += 1
        if self.count % 50_000 == 0:
            self.flush()

    def flush(self) -> None:
        if self.buffer.tell() == 0:
            return
        self.buffer.seek(0)
        cols = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cur:
            cur.cursor.copy_expert(f'COPY "{self.table}" ({cols}) FROM STDIN', self.buffer)
        self.buffer = io.StringIO()

    def finish(self) -> None:
        self.flush()
        if any(f.column == "id" for f in self.fields):
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{self.table}\"', 'id'), "  # noqa: S608 - table names from model meta
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{self.table}"))'
                )


def _through_copier(field, *, now):
    return Copier(field.remote_field.through, now=now)


class Progress:
    def __init__(self, stream, total_steps: int):
        self.stream, self.total, self.done, self.started = stream, total_steps, 0, time.perf_counter()

    def step(self, label: str, rows: int) -> None:
        self.done += 1
        width = 30
        filled = int(width * self.done / self.total)
        self.stream.write(
            f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label}: {rows:,} rows "
            f"({time.perf_counter() - self.started:.0f} s)\n"
        )
        self.stream.flush()


class Command(BaseCommand):
    help = "Load the benchmark data set at scale N (N=1: 200,000 events, 500,000 report items ...)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=14)
        parser.add_argument("--force", action="store_true", help="replace a data set loaded at another scale")

    def handle(self, *args, scale: float, seed: int, force: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_scale_data needs PostgreSQL (it loads with COPY).")
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        call_command("migrate", "--noinput", verbosity=0)
        with connection.cursor() as cur:
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (scale double precision NOT NULL, "
                "seed integer NOT NULL, loaded_at timestamptz NOT NULL, counts jsonb NOT NULL)"
            )
            cur.execute(f"SELECT scale, seed, counts FROM {MARKER_TABLE}")  # noqa: S608 - table names from model meta
            row = cur.fetchone()
        if row is not None:
            counts = row[2] if isinstance(row[2], dict) else json.loads(row[2])
            if math.isclose(row[0], scale) and row[1] == seed and counts.get("generator") == GENERATOR_VERSION:
                removed = self._delete_bench_events()
                self.stdout.write(
                    f"Data set already loaded at scale {scale:g}; nothing to do"
                    + (f" (removed {removed} events an earlier benchmark run posted)." if removed else ".")
                )
                return
            if not force:
                raise CommandError(f"This database holds the data set at scale {row[0]:g}; use --force to replace it.")
        started = time.perf_counter()
        with transaction.atomic():
            if row is not None:
                self._delete_generated()
            call_command("load_reference_data", stdout=io.StringIO())
            counts = self._generate(scale, random.Random(seed))
            with connection.cursor() as cur:
                cur.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608 - table names from model meta
                cur.execute(
                    f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, now(), %s)",  # noqa: S608 - table names from model meta
                    [scale, seed, json.dumps(counts)],
                )
        with connection.cursor() as cur:
            # VACUUM as well on PostgreSQL: a freshly loaded table has no visibility map, so the index-only scans
            # the calendar grid and the feed's fingerprint rely on would visit every heap page instead.
            # (VACUUM cannot run inside a transaction: a caller's transaction, as in a test, gets ANALYZE only.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cur.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            f"Loaded scale {scale:g} in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{k}={v:,}" for k, v in counts.items())
        )

    def _delete_bench_events(self) -> int:
        from programmes.events.models import Event

        with transaction.atomic():
            _count, by_model = Event.objects.filter(title__startswith=BENCH_EVENT_PREFIX).delete()
        return by_model.get(Event._meta.label, 0)

    def _delete_generated(self) -> None:
        from focal_points.models import FocalPoint
        from programmes.activity.models import ActivityReport
        from programmes.events.models import CoordinationAlert, Event
        from programmes.models import ExecutiveStructure, Project
        from taskforces.models import ActionItem, Meeting, TaskForce

        # Generated rows carry SEED_PREFIX; rows the benchmark itself created (POST /api/events/, jobs) hang off the
        # generated structures, so those go by structure too.
        generated = ExecutiveStructure.objects.filter(acronym__startswith=SEED_PREFIX)
        ActionItem.objects.filter(Q(what__startswith=SEED_PREFIX) | Q(owner_structure__in=generated)).delete()
        Meeting.objects.filter(title__startswith=SEED_PREFIX).delete()
        TaskForce.objects.filter(acronym__startswith=SEED_PREFIX).delete()
        ActivityReport.objects.filter(structure__in=generated).delete()
        CoordinationAlert.objects.all().delete()
        Event.objects.filter(
            Q(title__startswith=SEED_PREFIX) | Q(lead_structure__in=generated) | Q(co_organisers__in=generated)
        ).delete()
        FocalPoint.objects.filter(Q(email__startswith=SEED_PREFIX.lower()) | Q(structure__in=generated)).delete()
        Project.objects.filter(Q(code__startswith=SEED_PREFIX) | Q(lead_structure__in=generated)).delete()
        generated.delete()

    def _generate(self, scale: float, rng: random.Random) -> dict:
        from focal_points.models import FocalPoint, Membership, Network
        from programmes.activity.models import (
            ActivityReport,
            ActivityType,
            ReportedActivity,
            ReportingObligation,
            ReportTransition,
        )
        from programmes.events.models import Event
        from programmes.models import (
            ExecutiveStructure,
            ParticipatingState,
            PartnerOrganisation,
            Project,
            Region,
            ThematicArea,
        )
        from taskforces.models import ActionItem, Meeting, TaskForce

        n = {k: max(1, round(v * scale)) for k, v in SIZES.items()}
        now = datetime.now(UTC)
        progress = Progress(self.stdout, 6)

        states = list(ParticipatingState.objects.values_list("pk", flat=True))
        areas = list(ThematicArea.objects.filter(parent__isnull=False).values_list("pk", flat=True))
        orgs = list(PartnerOrganisation.objects.values_list("pk", flat=True))
        # Clustering: a Zipf-like weight, so a few themes and States carry most of the activity.
        area_w = [1 / (i + 1) for i in range(len(areas))]
        state_w = [1 / (i + 1) ** 0.8 for i in range(len(states))]
        # Seasons: spring and autumn are busy, August and December quiet.
        month_w = [6, 8, 10, 11, 10, 9, 5, 2, 10, 12, 11, 4]

        def pick_area():
            return rng.choices(areas, area_w)[0]

        def pick_state():
            return rng.choices(states, state_w)[0]

        def pick_date() -> date:
            year = FIRST_YEAR + rng.randrange(YEARS)
            month = rng.choices(range(1, 13), month_w)[0]
            return date(year, month, rng.randint(1, 28))

        # 1. Reporting structures: field operations that report monthly, enough for one report a month each.
        n_structures = max(1, math.ceil(n["reports"] / MONTHS))
        structures = Copier(ExecutiveStructure, now=now)
        obligations = Copier(ReportingObligation, now=now)
        sid = structures.next_id()
        oid = obligations.next_id()
        new_structures = []
        for i in range(n_structures):
            structures.add(
                id=sid + i,
                name=f"{SEED_PREFIX}Field operation {i}",
                acronym=f"{SEED_PREFIX}{i:04d}",
                kind=ExecutiveStructure.Kind.FIELD_OPERATION,
                region=Region.values[i % len(Region.values)],
                host_state_id=None,
                parent_id=None,
                active=True,
                proposed=False,
            )
            new_structures.append(sid + i)
        structures.finish()
        for i, s in enumerate(new_structures):
            obligations.add(
                id=oid + i, structure_id=s, frequency="monthly", starts_on=date(FIRST_YEAR, 1, 1), active=True
            )
        obligations.finish()
        all_structures = list(ExecutiveStructure.objects.values_list("pk", flat=True))
        progress.step("reporting structures", n_structures)

        # 2. Projects and their thematic areas / beneficiary States.
        projects = Copier(Project, now=now)
        p_areas = _through_copier(Project._meta.get_field("thematic_areas"), now=now)
        p_states = _through_copier(Project._meta.get_field("beneficiary_states"), now=now)
        pid = projects.next_id()
        statuses = list(Project.Status.values)
        project_ids = []
        for i in range(n["projects"]):
            start = pick_date()
            area = pick_area()
            projects.add(
                id=pid + i,
                code=f"{SEED_PREFIX}{i:06d}",
                title=f"Project {i} on theme {area}",
                summary=f"Generated project {i}; theme {area}.",
                lead_structure_id=rng.choice(all_structures),
                funding_source=rng.choice(["ub", "exb"]),
                budget=Decimal(rng.randrange(0, 3_000_000)),
                status=rng.choice(statuses),
                start=start,
                end=start + timedelta(days=rng.randrange(30, 1200)),
            )
            for a in {area, pick_area()}:
                p_areas.add(project_id=pid + i, thematicarea_id=a)
            for s in {pick_state() for _ in range(rng.randint(0, 3))}:
                p_states.add(project_id=pid + i, participatingstate_id=s)
            project_ids.append(pid + i)
        for c in (projects, p_areas, p_states):
            c.finish()
        progress.step("projects", n["projects"])

        # 3. Events, clustered: topics recur per theme and State, so near-duplicates appear as they do in life.
        events = Copier(Event, now=now)
        e_areas = _through_copier(Event._meta.get_field("thematic_areas"), now=now)
        e_co = _through_copier(Event._meta.get_field("co_organisers"), now=now)
        eid = events.next_id()
        formats = [f for f in Event.Format.values if f != "taskforce_meeting"]
        topics = max(MIN_TOPICS, round(TOPICS_AT_N1 * scale))
        words = [f"w{i:04d}" for i in range(VOCABULARY)]
        topic_titles: dict[tuple[int, int], str] = {}
        # Stored title terms, as the duplicate check reads them: each title is a format label and three vocabulary
        # words, all Latin script, so its terms are the union of its words' terms (one query for all words instead of
        # ``ts_debug`` over every title; a test compares both).
        from programmes.events.text_search import terms_of_words

        labels = {f: f"{SEED_PREFIX}{f.replace('_', ' ').title()} on" for f in formats}
        word_terms = terms_of_words([*words, *(w for label in labels.values() for w in label.split())])

        def topic_title(area: int, topic: int) -> str:
            # A series keeps its title; other series of the area share no more than the format with it, mostly.
            if (area, topic) not in topic_titles:
                topic_titles[(area, topic)] = " ".join(rng.sample(words, 3))
            return topic_titles[(area, topic)]

        for i in range(n["events"]):
            area, state = pick_area(), pick_state()
            start = pick_date()
            online = rng.random() < 0.1
            event_format = rng.choice(formats)
            title = f"{labels[event_format]} {topic_title(area, rng.randrange(topics))}"
            events.add(
                id=eid + i,
                title=title,
                title_terms=" ".join(sorted(set().union(*(word_terms[w] for w in title.split())))),
                description="Generated for the benchmark.",
                format=event_format,
                lead_structure_id=rng.choice(all_structures),
                state_id=None if online else state,
                online=online,
                city="" if online else f"City {state}",
                all_day=True,
                start_date=start,
                end_date=start + timedelta(days=rng.choice([0, 0, 1, 2, 2, 4])),
                start_at=None,
                end_at=None,
                status=rng.choices(["planned", "confirmed", "held", "cancelled"], [2, 2, 5, 1])[0],
                visibility="public" if rng.random() < 0.7 else "internal",
                project_id=rng.choice(project_ids) if rng.random() < 0.3 else None,
            )
            for a in {area, pick_area()} if rng.random() < 0.5 else {area}:
                e_areas.add(event_id=eid + i, thematicarea_id=a)
            if rng.random() < 0.3:
                e_co.add(event_id=eid + i, executivestructure_id=rng.choice(all_structures))
        for c in (events, e_areas, e_co):
            c.finish()
        event_span = (eid, eid + n["events"] - 1)
        progress.step("events", n["events"])

        # 4. Activity reports (one per structure and month) with their items.
        reports = Copier(ActivityReport, now=now)
        items = Copier(ReportedActivity, now=now)
        i_areas = _through_copier(ReportedActivity._meta.get_field("thematic_areas"), now=now)
        # Each report's history as the services write it (report_create, report_submit, the reviews).
        transitions = Copier(ReportTransition, now=now)
        rid, iid, tid = reports.next_id(), items.next_id(), transitions.next_id()
        per_report = n["items"] / n["reports"]
        activity_types = list(ActivityType.values)
        item_no = 0
        for r in range(n["reports"]):
            structure = new_structures[r % n_structures]
            month = r // n_structures
            ps = date(FIRST_YEAR + month // 12, month % 12 + 1, 1)
            pe = (ps.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            status = rng.choices(["accepted", "submitted", "draft", "returned"], [7, 1, 1, 1])[0]
            submitted = datetime.combine(pe + timedelta(days=5), datetime.min.time(), tzinfo=UTC)
            reviewed = submitted + timedelta(days=3)
            opened = datetime.combine(ps, datetime.min.time(), tzinfo=UTC)
            comment = "Please add the participants of each activity." if status == "returned" else ""
            # As the services record it: opened as a draft, submitted, then accepted or returned with the comment.
            history = [("", "draft", opened, "")]
            if status != "draft":
                history.append(("draft", "submitted", submitted, ""))
            if status in ("accepted", "returned"):
                history.append(("submitted", status, reviewed, comment))
            for from_status, to_status, at, said in history:
                transitions.add(
                    id=tid + transitions.count,
                    report_id=rid + r,
                    from_status=from_status,
                    to_status=to_status,
                    by_id=None,
                    at=at,
                    comment=said,
                )
            reports.add(
                id=rid + r,
                structure_id=structure,
                period_start=ps,
                period_end=pe,
                due_on=pe + timedelta(days=15),
                status=status,
                summary="Generated report.",
                created_by_id=None,
                submitted_by_id=None,
                reviewed_by_id=None,
                submitted_at=None if status == "draft" else submitted,
                first_submitted_at=None if status == "draft" else submitted,
                reviewed_at=reviewed if status in ("accepted", "returned") else None,
                review_comment=comment,
            )
            for pos in range(max(1, round(rng.gauss(per_report, per_report / 3)))):
                day = ps + timedelta(days=rng.randrange((pe - ps).days + 1))
                online = rng.random() < 0.15
                items.add(
                    id=iid + item_no,
                    report_id=rid + r,
                    title=f"Activity {item_no}",
                    activity_type=rng.choice(activity_types),
                    project_id=None,
                    event_id=None,
                    state_id=None if online else pick_state(),
                    city="",
                    online=online,
                    start=day,
                    end=day,
                    participants_women=rng.randrange(40),
                    participants_men=rng.randrange(40),
                    participants_unrecorded=rng.randrange(5),
                    results="Generated results.",
                    position=pos,
                )
                i_areas.add(reportedactivity_id=iid + item_no, thematicarea_id=pick_area())
                item_no += 1
        for c in (reports, items, i_areas, transitions):
            c.finish()
        report_transitions = transitions.count
        progress.step("activity reports and items", n["reports"] + item_no + report_transitions)

        # 5. Focal points: most for a State, some for structures; two memberships each on average.
        fps = Copier(FocalPoint, now=now)
        members = Copier(Membership, now=now)
        fid, mid = fps.next_id(), members.next_id()
        networks = list(Network.objects.values_list("pk", flat=True))
        surnames = [
            "Novak",
            "Horvat",
            "Kowalski",
            "Ivanov",
            "Müller",
            "Rossi",
            "Nazarov",
            "Aliyev",
            "Popescu",
            "Petrov",
            "Berg",
            "Dubois",
            "Kuznetsova",
            "Tashkentova",
            "Smith",
            "García",
            "Öztürk",
            "Larsen",
        ]
        given = ["Anna", "Ivan", "Maria", "Jonas", "Elena", "Timur", "Sara", "Marek", "Aigerim", "Lukas", "Nina"]
        fp_state = {}
        for i in range(n["focal_points"]):
            on_state = rng.random() < 0.8
            state = pick_state() if on_state else None
            fps.add(
                id=fid + i,
                first_name=rng.choice(given),
                last_name=f"{rng.choice(surnames)}{i}",
                job_title="Officer",
                structure_id=None if on_state else rng.choice(all_structures),
                state_id=state,
                authority="Ministry of Interior" if on_state else "",
                partner_organisation_id=None,
                email=f"{SEED_PREFIX.lower()}{i}@example.org",
                phone="",
                working_languages=["en"],
                is_sample=False,
                user_id=None,
            )
            fp_state[fid + i] = state
        fps.finish()
        fp_ids = list(fp_state)
        for m in range(n["memberships"]):
            fp = fp_ids[m % len(fp_ids)]
            # Members, not primaries: the generator must not collide with "one open primary per network and State".
            members.add(
                id=mid + m,
                focal_point_id=fp,
                network_id=rng.choice(networks) if networks else None,
                state_id=fp_state[fp],
                role="member",
                start=pick_date(),
                end=None,
                last_confirmed=None,
            )
        members.finish()
        progress.step("focal points and memberships", n["focal_points"] + n["memberships"])

        # 6. Task forces (reference ones plus generated ones if needed), meetings and action items.
        forces = list(TaskForce.objects.values_list("pk", flat=True))
        if not forces:
            raise CommandError("load_reference_data created no task force.")
        meetings = Copier(Meeting, now=now)
        actions = Copier(ActionItem, now=now)
        mtid, aid = meetings.next_id(), actions.next_id()
        for m in range(n["meetings"]):
            day = pick_date()
            meetings.add(
                id=mtid + m,
                task_force_id=forces[m % len(forces)],
                title=f"{SEED_PREFIX}Meeting {m}",
                starts_at=datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9),
                duration_minutes=120,
                place="Vienna",
                online=False,
                status="held" if day < now.date() else "planned",
                minutes_markdown="",
                published=True,
                event_id=None,
            )
        meetings.finish()
        per_meeting = max(1, n["actions"] // n["meetings"])
        for a in range(n["actions"]):
            m = min(a // per_meeting, n["meetings"] - 1)
            due = pick_date()
            done = rng.random() < 0.6
            actions.add(
                id=aid + a,
                task_force_id=forces[m % len(forces)],
                meeting_id=mtid + m,
                decision_id=None,
                project_id=None,
                event_id=None,
                what=f"{SEED_PREFIX}Action {a}",
                owner_structure_id=rng.choice(all_structures),
                owner_id=None,
                due_date=due,
                status="done" if done else "open",
                completed_on=due if done else None,
                created_by_id=None,
            )
        actions.finish()
        progress.step("meetings and action items", n["meetings"] + n["actions"])
        del orgs
        return {
            "structures": n_structures,
            "projects": n["projects"],
            "events": n["events"],
            "event_first_id": event_span[0],
            "reports": n["reports"],
            "items": item_no,
            "transitions": report_transitions,
            "focal_points": n["focal_points"],
            "memberships": n["memberships"],
            "meetings": n["meetings"],
            "actions": n["actions"],
            "generator": GENERATOR_VERSION,
        }


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run through manage.py.")
