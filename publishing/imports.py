"""Bulk import of cases, technologies and standards, with the importing user's permissions.

`import_records(rows, user=…, dry_run=…, publish=…, atomic=…)` takes numbered records (from
`publishing.importfile.parse`) and returns an `ImportReport`: created / updated / unchanged
counts and every bad row with its number, field and reason.

* A bad row is reported and the good rows are kept (committed in batches of BATCH_SIZE): a row
  that writes is written in its own savepoint, and a new case, which its page batch writes,
  is checked whole before anything of it is written. With `atomic=True` nothing is written if
  any row is bad. With `dry_run=True` everything is checked and written inside a transaction that is
  rolled back, so the report is exactly what the real import would do.
* New cases are written a batch at a time (cases.page_batch), and the indexes are brought up
  to date per batch (cases.bulk), not page by page.
* `user=None` is the system (the management command without --user): full rights.
* A user who may not publish in a city (a city editor) imports drafts there, and each created or
  changed page is submitted to the city's workflow; reviewers get one summary email. Records
  naming another city are errors for their row; a record without a city goes to the user's city
  when they have exactly one.
* A national user (may add cities) may name a city without a CityPage: it is created from the
  Region taxonomy (name, 简称 or code) — with its roles, collection and workflow.
"""

import contextlib
import time
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from wagtail.models import Page, WorkflowState

from cases import bulk, importing, page_batch, resolvers
from cases.importing import RecordError
from cases.models import (
    CasePage,
    CityIndexPage,
    CityPage,
    Region,
)
from publishing import access, notifications
from publishing.importfile import RowError


@dataclass
class RowResult:
    row: int
    type: str = ""
    external_id: str = ""
    title: str = ""
    status: str = ""  # created | updated | unchanged | error
    action: str = ""  # published | draft | submitted | in_review
    page_id: int | None = None
    city: str = ""
    notes: list[str] = field(default_factory=list)  # guesses made for this row (玻璃 → 废玻璃)


@dataclass
class ImportReport:
    dry_run: bool = False
    atomic: bool = False
    publish: bool = False
    rolled_back: bool = False
    results: list[RowResult] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    created_cities: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.results), "created": 0, "updated": 0, "unchanged": 0}
        counts["errors"] = len({e["row"] for e in self.errors})
        for action in ("published", "draft", "submitted"):
            counts[action] = 0
        for result in self.results:
            if result.status in counts:
                counts[result.status] += 1
            if result.action in counts and result.status != "unchanged":
                counts[result.action] += 1
        return counts

    @property
    def written(self) -> bool:
        return not (self.dry_run or self.rolled_back)

    def error(self, row: int, field_name: str, message: str) -> None:
        self.errors.append({"row": row, "field": field_name, "message": message})

    def to_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "atomic": self.atomic,
            "publish": self.publish,
            "written": self.written,
            "counts": self.counts,
            "errors": self.errors,
            "created_cities": self.created_cities,
            "seconds": round(self.seconds, 3),
            "rows": [asdict(r) for r in self.results],
        }


class _Rollback(Exception):
    pass


class _Context:
    """The importing user's rights, looked up once per city/index page."""

    def __init__(self, report: "ImportReport", user, publish: bool, dry_run: bool):
        self.report = report
        self.user, self.publish, self.dry_run = user, publish, dry_run
        self.national = access.is_national(user)
        self._perms: dict[int, object] = {}
        self._allowed_cities = None
        self.created_cities = report.created_cities  # the report lists the cities created
        self.pending: list[tuple[RowResult, Page]] = []  # new pages waiting in the page batch
        self.submitted: list[Page] = []  # pages submitted for review: one summary email
        # The pages with the external ids of the batch of rows at hand, read in one query per
        # record type (see look_up); a row that writes an id drops it, so a later row with the
        # same id reads that page afresh.
        self._found: dict[tuple[type, str], Page | None] = {}

    def look_up(self, rows) -> None:
        wanted: dict[type, set[str]] = {}
        for _row, record in rows:
            if isinstance(record, dict):
                record_type = importing.RECORD_TYPES.get(_kind(record))
                if record_type is not None and _external_id(record):
                    wanted.setdefault(record_type.model, set()).add(_external_id(record))
        self._found = {}
        for model, external_ids in wanted.items():
            found = {p.external_id: p for p in model.objects.filter(external_id__in=external_ids)}
            for external_id in external_ids:
                self._found[model, external_id] = found.get(external_id)

    def needs_savepoint(self, record) -> bool:
        """Whether the row may write before its page batch does: an update, another record
        type, a city or tag to create, the same id twice. Such a row gets a savepoint of its
        own, so that a bad row leaves nothing behind. A new case in an existing city with known
        tags writes nothing itself (cases.page_batch writes it with its batch): its savepoint
        would only cost two statements (a tenth of an import on PostgreSQL)."""
        if not isinstance(record, dict) or _kind(record) != "case":
            return True
        if self._found.get((CasePage, _external_id(record)), "unknown") is not None:
            return True  # existing, or not looked up: the ordinary path
        city = str(record.get("city") or "").strip()
        try:
            if city:
                resolvers.city(city)
            elif self.national or len(self.allowed_cities()) != 1:
                return True
            return not resolvers.tags_exist(importing.record_tags(record))
        except (resolvers.UnknownTerm, RecordError):
            return True

    def mark(self) -> tuple[int, ...]:
        report = self.report
        return (
            len(report.results),
            len(report.errors),
            len(self.created_cities),
            len(self.submitted),
        )

    def undo(self, mark: tuple[int, ...]) -> None:
        """The batch begun at `mark` was rolled back: forget what it did."""
        results, errors, cities, submitted = mark
        del self.report.results[results:]
        del self.report.errors[errors:]
        del self.created_cities[cities:]
        del self.submitted[submitted:]
        self.pending.clear()
        page_batch.undo()
        resolvers.invalidate()  # what they found may have been written by the batch
        self._perms.clear()
        self._allowed_cities = None

    def existing(self, model, external_id: str) -> Page | None:
        key = (model, external_id)
        if key in self._found:
            return self._found.pop(key)  # once: the row may write it
        return model.objects.filter(external_id=external_id).first()

    def perms(self, page: Page):
        if page.pk not in self._perms:
            self._perms[page.pk] = page.permissions_for_user(self.user) if self.user else None
        return self._perms[page.pk]

    def can_add(self, parent: Page) -> bool:
        perms = self.perms(parent)
        return perms is None or perms.can_add_subpage()

    def can_publish_in(self, parent: Page) -> bool:
        perms = self.perms(parent)
        return perms is None or perms.can_publish_subpage()

    def allowed_cities(self) -> list[CityPage]:
        if self._allowed_cities is None:
            self._allowed_cities = list(access.editable_cities(self.user))
        return self._allowed_cities

    def check_existing(self, page: Page) -> None:
        if self.user is None:
            return
        perms = page.permissions_for_user(self.user)
        if not perms.can_edit():
            raise RecordError("external_id", f"无权修改已有页面“{page.title}”")
        if perms.page_locked():
            raise RecordError(
                "external_id", f"页面“{page.title}”已被锁定（可能正在审核中），暂不能修改"
            )

    def city_for(self, record: dict) -> CityPage:
        value = str(record.get("city") or "").strip()
        if not value:
            cities = self.allowed_cities()
            if not self.national and len(cities) == 1:
                return cities[0]
            raise RecordError("city", "不能为空")
        try:
            city = resolvers.city(value)
        except resolvers.UnknownTerm as unknown:
            if not self.national:
                raise RecordError("city", str(unknown)) from None
            city = self.create_city(value, unknown)
        if not self.can_add(city):
            names = "、".join(c.title for c in self.allowed_cities()) or "无"
            raise RecordError(
                "city", f"您没有在“{city.title}”发布内容的权限（您可以导入到：{names}）"
            )
        return city

    def create_city(self, value: str, unknown: resolvers.UnknownTerm) -> CityPage:
        try:
            region = resolvers.region(value)
        except resolvers.UnknownTerm as no_region:
            hints = list(dict.fromkeys(unknown.suggestions + no_region.suggestions))[:5]
            hint = f"；是否指：{'、'.join(hints)}" if hints else ""
            raise RecordError(
                "city", f"未知的城市“{value}”，行政区划中也没有这个名称或代码{hint}"
            ) from None
        index = CityIndexPage.objects.first()
        if index is None or not self.can_add(index):
            raise RecordError("city", f"没有“{value}”的城市页面，且您无权新建城市")
        existing = CityPage.objects.filter(region=region, title=region.name).first()
        if existing is not None:
            return existing
        page = CityPage(
            title=region.name,
            slug=importing._unique_slug(index, slugify(region.name, allow_unicode=True)),
            region=region,
            admin_code="" if region.level == Region.Level.CITY else region.code,
            kind=CityPage.Kind.CITY
            if region.level == Region.Level.CITY
            else CityPage.Kind.PROVINCE,
            summary="",
            live=False,
        )
        if self.user is not None and self.user.pk:
            page.owner = self.user
        publish = self.publish and self.can_publish_in(index)
        page_batch.save_one(page, index, publish=publish, user=self.user)
        bulk.update_references(page)
        resolvers.invalidate("city")
        self.created_cities.append(page.title)
        return page


def _submit(page, user) -> str:
    """Submit the page's latest revision to its workflow; returns the resulting action."""
    page = page.specific_class.objects.get(pk=page.pk)
    workflow = page.get_workflow()
    if workflow is None:
        return "draft"
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return "in_review"
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        workflow.start(page, user)
    return "submitted"


def _kind(record: dict) -> str:
    return str(record.get("type") or "case").strip()


def _external_id(record: dict) -> str:
    return str(record.get("external_id") or "").strip()


def _import_one(context: _Context, record: dict):
    kind = _kind(record)
    record_type = importing.RECORD_TYPES.get(kind)
    if record_type is None:
        raise RecordError("type", f"应为 {'、'.join(importing.RECORD_TYPES)} 之一，收到“{kind}”")
    external_id = _external_id(record)
    if not external_id:
        raise RecordError("external_id", "不能为空")
    existing = context.existing(record_type.model, external_id)
    if kind == "case":
        parent = context.city_for(record)
        importing.check_case_city(existing, parent)
    else:
        parent = record_type.index_model.objects.first()
        if parent is None:
            raise RecordError("type", f"站点中没有{record_type.label}目录")
        if kind == "standard" and not context.can_add(parent):
            # A city's editors import their city's own standards: under the city page.
            parent = context.city_for(record)
        elif not context.can_add(parent):
            raise RecordError("type", f"您没有导入{record_type.label}的权限")
    if existing is not None:
        context.check_existing(existing)
    can_publish = context.can_publish_in(parent)
    publish = context.publish and can_publish
    kwargs = {"publish": publish, "user": context.user}
    if kind == "case":
        kwargs.update(city=parent, existing=existing)
    elif isinstance(parent, CityPage):
        kwargs.update(city=parent)
    page, status = record_type.upsert(record, **kwargs)
    if publish:
        action = "published"
    elif status == "unchanged":
        action = "published" if page.live and not page.has_unpublished_changes else "draft"
    elif context.user is None or can_publish:
        action = "draft"
    elif context.dry_run:
        action = "submitted"  # what the real import will do; nothing is sent in a dry run
    elif page.pk is None:
        action = SUBMIT_WHEN_WRITTEN
    else:
        action = _submit(page, context.user)
    return kind, page, status, action, parent


BATCH_SIZE = 250
# The action of a new page still in the page batch that goes to review once it is written.
SUBMIT_WHEN_WRITTEN = "submit-when-written"


def _failure(problem: Exception) -> str:
    message = "；".join(getattr(problem, "messages", [])) or str(problem)
    return f"无法保存：{message[:300]}"


def _write_pending(context: _Context) -> None:
    """Write the batch's new pages (cases.page_batch) and complete their rows' results."""
    written = {id(entry.page): entry for entry in page_batch.write()}
    for result, page in context.pending:
        entry = written[id(page)]
        if entry.error is not None:
            result.status, result.action = "error", ""
            context.report.error(result.row, "", _failure(entry.error))
            continue
        result.page_id = page.pk
        if result.action == SUBMIT_WHEN_WRITTEN:
            result.action = _submit(page, context.user)
        if result.action == "submitted":
            context.submitted.append(page)
    context.pending.clear()


class _Redo(Exception):
    """A row without a savepoint of its own met a database error: the transaction may be
    unusable (PostgreSQL) and the batch is run again, each row in a savepoint."""


def _import_row(context, report, row, record, savepoints: bool) -> None:
    result = RowResult(row=row)
    report.results.append(result)
    if isinstance(record, RowError):
        result.status = "error"
        report.error(row, record.field, record.message)
        return
    result.type = str(record.get("type") or "case")
    result.external_id = str(record.get("external_id") or "")[:100]
    result.title = str(record.get("title") or "")[:255]
    record_type = importing.RECORD_TYPES.get(_kind(record))
    if record_type is not None and page_batch.is_pending(record_type.model, _external_id(record)):
        # The same id earlier in this batch: write that page first, so this row updates it
        # (outside this row's savepoint, which a bad row rolls back).
        _write_pending(context)
    savepoint = savepoints or context.needs_savepoint(record)
    try:
        with transaction.atomic() if savepoint else contextlib.nullcontext():
            with resolvers.noting() as notes:
                kind, page, status, action, parent = _import_one(context, record)
        result.notes = notes
    except DatabaseError as problem:
        if not savepoint:
            raise _Redo from problem
        result.status = "error"
        report.error(row, "", _failure(problem))
        return
    except RecordError as problem:
        result.status = "error"
        report.error(row, problem.field, problem.message)
        return
    except (ValidationError, ValueError, TypeError) as problem:
        result.status = "error"
        report.error(row, "", _failure(problem))
        return
    result.status, result.action, result.page_id = status, action, page.pk
    result.city = parent.title if isinstance(parent, CityPage) else ""
    if page.pk is None:
        context.pending.append((result, page))
    elif action == "submitted":
        context.submitted.append(page)


def _import_batch(context, batch, single, after_batch, *, savepoints: bool) -> None:
    context.look_up(batch)
    page_batch.begin()
    report = context.report
    with transaction.atomic():
        done = len(report.results)
        for row, record in batch:
            _import_row(context, report, row, record, savepoints)
        _write_pending(context)
        if not single:
            # The admin search and reference index, each page once, in this batch's
            # transaction (the exchange search follows on commit: search.indexing).
            bulk.flush()
            if after_batch is not None:
                after_batch(report.results[done:], report)


def import_records(
    rows,
    *,
    user=None,
    dry_run=False,
    publish=False,
    atomic=False,
    batch_size=None,
    after_batch=None,
) -> ImportReport:
    """Import numbered records [(row, record | RowError)]; see the module docstring.

    A dry run or an atomic import is one transaction. Otherwise rows are committed in batches of
    `batch_size` (BATCH_SIZE; a row that writes in a savepoint of its own), so that a long
    import neither holds its locks (the city pages' rows, SQLite's database lock) for its whole
    duration nor loses the batches already done if it is interrupted. `after_batch(results,
    report)` is called inside each such batch's transaction with the batch's row results, so
    what it records (an import job's progress) is committed with the rows it describes.
    """
    started = time.perf_counter()
    report = ImportReport(dry_run=dry_run, atomic=atomic, publish=publish)
    context = _Context(report, user, publish, dry_run)
    rows = list(rows)
    single = dry_run or atomic
    size = max(1, batch_size or BATCH_SIZE)
    batches = [rows[i : i + size] for i in range(0, len(rows), size)]
    # New cases are written a batch at a time (cases.page_batch); the other record types page
    # by page, because later rows may name them (a case its technology).
    collect = page_batch.collecting(CasePage)
    with resolvers.cached(), notifications.batched(), bulk.deferred(), collect:
        try:
            with transaction.atomic() if single else contextlib.nullcontext():
                for batch in batches:
                    mark = context.mark()
                    try:
                        _import_batch(context, batch, single, after_batch, savepoints=False)
                    except _Redo:
                        context.undo(mark)
                        _import_batch(context, batch, single, after_batch, savepoints=True)
                if dry_run or (atomic and report.errors):
                    raise _Rollback
                bulk.flush()
                bulk.finish()
        except _Rollback:
            report.rolled_back = not dry_run
    # A dry run (the admin preview too) or a rolled-back atomic import saved nothing: no
    # reviewer is told about pages that do not exist.
    if context.submitted and user is not None and report.written:
        pages = list(context.submitted)
        transaction.on_commit(lambda: notifications.send_import_summary(pages, user))
    report.seconds = time.perf_counter() - started
    return report


def import_file(data: bytes, name: str, **options) -> ImportReport:
    """Parse and import a file's content (raises importfile.FileError for an unreadable file)."""
    from publishing import importfile

    parsed = importfile.parse(data, name, options.pop("format", None))
    return import_records(parsed.rows, **options)
