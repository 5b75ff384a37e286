"""Querysets composed once per process, for the statements the intake runs on every rating (issue 19).

Django composes a queryset's SQL anew each time it is evaluated. For the intake's locked read (the
case with five relations, two EXISTS and FOR UPDATE) composing costs more CPU than PostgreSQL spends
running it: about half of a rating's time in Django was spent there (profile in docs/benchmarks.md).
A ``Composed`` lets Django compose the queryset once, for a sentinel value, and keeps the SQL with
what Django itself uses to turn its rows into model instances (the compiler's select list,
klass_info, annotation positions and field converters). Later calls run the same SQL with the real
value: model instances exactly as the queryset would give them, related objects and annotations
included, and the same statement text every time, which services.prepared lets PostgreSQL plan once
per connection.

Only for querysets in which the value looked up is one parameter: composing checks that the sentinel
is exactly one of the SQL's parameters (the others are constants of the query's shape, such as the
``1`` of an EXISTS) and refuses otherwise (ImproperlyConfigured).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from .together import hold

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]  # the composed parameters, the value's place holding None
    at: int  # the value's place among them
    model: type[Model]
    fields: slice  # the positions of the model's own columns in a row
    init_list: list[str]
    populators: list[Any]  # django's RelatedPopulator, one per select_related relation
    annotations: dict[str, int]
    converters: list[tuple[int, list[Callable], Any]]


class Composed(Generic[M]):
    """``build(value)`` is the queryset; ``rows(value)`` the instances it would give, composed once."""

    def __init__(self, build: Callable[[Any], QuerySet[M]], sentinel: Any, using: str = "default") -> None:
        self._build, self._sentinel, self._using = build, sentinel, using
        self._plan: _Plan | None = None

    def first(self, value: Any) -> M | None:
        found = self.rows(value)
        return found[0] if found else None

    def rows(self, value: Any) -> list[M]:
        plan = self._plan or self._compose()
        connection = connections[self._using]
        with connection.cursor() as cursor:
            params = list(plan.params)
            params[plan.at] = value
            cursor.execute(plan.sql, params)
            fetched = cursor.fetchall()
        found: list[M] = []
        for raw in fetched:
            row = list(raw)
            for position, convs, expression in plan.converters:
                for converter in convs:
                    row[position] = converter(row[position], expression, connection)
            instance = cast(M, plan.model.from_db(self._using, plan.init_list, row[plan.fields]))
            for populator in plan.populators:
                populator.populate(row, instance)
            for name, position in plan.annotations.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def _compose(self) -> _Plan:
        """Compose the queryset once (inside the caller's transaction: FOR UPDATE needs one)."""
        queryset = self._build(self._sentinel)
        compiler = queryset.query.get_compiler(using=self._using)
        sql, params = compiler.as_sql()
        places = [at for at, param in enumerate(params) if param == self._sentinel]
        if len(places) != 1:
            raise ImproperlyConfigured(f"the value must be one parameter of the query, not {params!r}")
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None  # a model queryset always has one
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        self._plan = _Plan(
            sql=sql,
            params=tuple(None if at == places[0] else param for at, param in enumerate(params)),
            at=places[0],
            model=klass_info["model"],
            fields=slice(start, end),
            init_list=[column[0].target.attname for column in select[start:end]],
            populators=get_related_populators(klass_info, select, self._using),  # type: ignore[call-arg]
            annotations=dict(compiler.annotation_col_map or {}),
            converters=[
                (position, convs, expression) for position, (convs, expression) in converters.items()
            ],
        )
        return self._plan


class ComposedInsert(Generic[M]):
    """``Model.objects.bulk_create([obj])`` for one row, its INSERT composed once per process.

    The statement is bulk_create's own (every concrete column but the automatic primary key, unless
    ``obj`` has one already, ``RETURNING`` it when asked), and each value is prepared as Django's insert
    compiler prepares a plain value: the field's ``pre_save(obj, add=True)`` (auto_now_add) then
    ``get_db_prep_save``, in the field's own placeholder where it has one (an ArrayField's
    ``%s::varchar(40)[]``; one statement is kept for each set of placeholders). An object with an
    expression for a value goes through ``bulk_create`` itself. No model signal is sent, as
    bulk_create sends none. Inside services.together's ``written_together()`` an INSERT that returns
    nothing is held and sent with the others.
    """

    def __init__(self, model: type[M], using: str = "default") -> None:
        self._model, self._using = model, using
        opts = model._meta
        self._fields = [f for f in opts.concrete_fields if not f.generated and f is not opts.auto_field]
        self._with_pk = [opts.pk, *self._fields] if opts.auto_field is not None else self._fields
        self._placed = [f for f in self._fields if hasattr(f, "get_placeholder")]
        self._sql: dict[tuple[tuple[str, ...], bool, bool], str] = {}

    def insert(self, obj: M, *, returning: bool = True) -> M:
        """INSERT ``obj``; its primary key is read back (``returning``) unless it has one already."""
        connection = connections[self._using]
        fields = self._fields if obj.pk is None else self._with_pk
        values = [field.pre_save(obj, True) for field in fields]
        if any(hasattr(value, "resolve_expression") for value in values):
            return self._model._default_manager.using(self._using).bulk_create([obj])[0]
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        params = [
            field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)
        ]
        places = tuple(
            field.get_placeholder(value, None, connection) if field in self._placed else "%s"  # type: ignore[attr-defined]
            for field, value in zip(fields, params, strict=True)
        ) if self._placed else ()  # fmt: skip
        returning = returning and obj.pk is None
        key = (places, fields is self._with_pk, returning)
        sql = self._sql.get(key) or self._compose(connection, key, fields)
        if returning or not hold(self._model._meta.db_table, sql, params, self._using):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                if returning:
                    (obj.pk,) = cursor.fetchone()
        obj._state.adding, obj._state.db = False, self._using
        return obj

    def _compose(self, connection: Any, key: tuple[tuple[str, ...], bool, bool], fields: list[Any]) -> str:
        quote, opts = connection.ops.quote_name, self._model._meta
        places, _with_pk, returning = key
        columns = ", ".join(quote(field.column) for field in fields)
        values = ", ".join(places or ["%s"] * len(fields))
        table, pk = quote(opts.db_table), quote(opts.pk.column)
        tail = f" RETURNING {table}.{pk}" if returning else ""
        self._sql[key] = f"INSERT INTO {table} ({columns}) VALUES ({values}){tail}"
        return self._sql[key]


_inserts: dict[type[Model], ComposedInsert] = {}


def insert_rows(objs: list[M], *, returning: bool = True) -> list[M]:
    """``bulk_create(objs)``: one row by its composed INSERT (the intake's rows, one rating at a time),
    more by bulk_create's one statement. ``returning=False``: the caller reads no primary key back, so
    inside ``written_together()`` the row may be held and sent with the others (services.together)."""
    if len(objs) != 1:
        return type(objs[0])._default_manager.bulk_create(objs) if objs else []
    model = type(objs[0])
    composed = _inserts.get(model) or _inserts.setdefault(model, ComposedInsert(model))
    return [composed.insert(objs[0], returning=returning)]
