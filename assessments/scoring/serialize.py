"""Results to JSON-ready data and back, so that a published snapshot stores them as they were.

Generic over the frozen dataclasses of this package: a field added later with a default
reads back from an older snapshot with that default. A mapping is stored as [key, value]
pairs, so that its order survives a jsonb column; one stored as an object still reads.
"""

import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any


def to_data(value: Any) -> Any:
    """A dataclass (or anything inside one) as dicts, lists, strings and numbers."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in fields(value) if f.init}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        # Pairs, not an object: PostgreSQL's jsonb keeps no key order, and a report's
        # questions are in the questionnaire's order.
        return [[str(key), to_data(item)] for key, item in value.items()]
    if isinstance(value, list | tuple):
        return [to_data(item) for item in value]
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # Resolving the annotations is most of the cost of reading a stored report back.
    return typing.get_type_hints(cls)


def from_data[T](cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a dataclass of type `cls` from `to_data` output; unknown keys are ignored."""
    hints = _hints(cls)
    arguments = {
        f.name: _convert(hints[f.name], data[f.name])
        for f in fields(cls)  # type: ignore[arg-type]
        if f.init and f.name in data
    }
    return cls(**arguments)


def _convert(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [argument for argument in arguments if argument is not type(None)]
        return _convert(inner, value)
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(_convert(arguments[0], item) for item in value)
        return tuple(_convert(a, item) for a, item in zip(arguments, value, strict=True))
    if origin in (Mapping, dict, typing.Mapping):
        pairs = value.items() if isinstance(value, Mapping) else value  # older snapshots: objects
        return {key: _convert(arguments[1], item) for key, item in pairs}
    if is_dataclass(kind):
        return from_data(kind, value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if kind is float:
        return float(value)
    return value
