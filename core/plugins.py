"""Finding plug-ins without a hand-kept list: the concrete subclasses of a base class that
the modules of a package define (one check per module of `checks/`, one channel per module
of `notify/channels/`)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import TypeVar

T = TypeVar("T")


def concrete_subclasses(package: ModuleType, base: type[T]) -> list[type[T]]:
    """Every non-abstract subclass of `base` defined in a module of `package`, in module order."""
    found: list[type[T]] = []
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, base)
            and value.__module__ == module.__name__
            and not inspect.isabstract(value)
        ]
    return found
