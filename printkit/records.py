"""Named tuples that check their values whenever one is made, as `__post_init__` does for a
dataclass.

Records are named tuples rather than frozen dataclasses because a frozen dataclass compiles
six methods when its module is imported (0.3–0.9 ms a class, paid by every build), a named
tuple one. A record that must refuse bad values (a box of negative size) defines `_check()`
and is decorated with `@checked`: the check then runs however an instance is made — called,
`_replace`d, `_make`d, copied or unpickled in a worker process.

A module that defines named tuples does without `from __future__ import annotations`:
typing.NamedTuple compiles each annotation written as a string into a ForwardRef (251 of them
in a build, about 2 ms), while evaluated annotations cost it next to nothing. Write a name that
is defined further down (or only for type checkers) in quotes: `-> "Box"`.

What stays a dataclass, and why: the content model (printkit.content.model), whose types must
never equal each other or a plain tuple of the same values; `options.Settings`, a read-only
mapping (a tuple's own iteration and indexing would clash with a mapping's).
"""

from __future__ import annotations

from functools import wraps
from typing import TypeVar

Record = TypeVar("Record", bound=type)


def checked(cls: Record) -> Record:
    """Make the named tuple `cls` call its `_check()` on every new instance."""
    make = cls.__new__

    @wraps(make)  # keeps the fields in the signature that help() and editors show
    def __new__(klass, *args, **kwargs):
        record = make(klass, *args, **kwargs)
        record._check()
        return record

    cls.__new__ = staticmethod(__new__)
    # The named tuple's own _make (which _replace calls) builds the tuple directly: call the
    # class instead, so that a replaced value is checked too.
    cls._make = classmethod(lambda klass, iterable: klass(*iterable))
    return cls
