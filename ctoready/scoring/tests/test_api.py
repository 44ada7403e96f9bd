"""Guard test: ``scoring.__all__`` lists exactly the public names of its modules."""

import importlib
import inspect
import pkgutil

import ctoready.scoring as scoring


def _public_definitions() -> set[str]:
    names: set[str] = set()
    for info in pkgutil.iter_modules(scoring.__path__):
        if info.name.startswith("_") or info.name == "tests":
            continue
        module = importlib.import_module(f"ctoready.scoring.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_"):
                continue
            defined_here = getattr(obj, "__module__", None) == module.__name__
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and defined_here:
                names.add(name)
        names.update(getattr(module, "__all__", ()))
    return names


def test_all_matches_public_definitions_of_every_module():
    assert set(scoring.__all__) == _public_definitions()


def test_every_name_in_all_is_importable_and_listed_once():
    assert len(scoring.__all__) == len(set(scoring.__all__))
    for name in scoring.__all__:
        assert hasattr(scoring, name), name


def test_every_public_function_documents_a_reference():
    for name in scoring.__all__:
        obj = getattr(scoring, name)
        if inspect.isfunction(obj):
            assert obj.__doc__ and len(obj.__doc__) > 40, name


def test_scoring_never_imports_django():
    for info in pkgutil.iter_modules(scoring.__path__):
        if info.name == "tests":
            continue
        source = inspect.getsource(importlib.import_module(f"ctoready.scoring.{info.name}"))
        assert "django" not in source.lower(), info.name


def test_engine_version_is_semantic():
    major, minor, patch = scoring.ENGINE_VERSION.split(".")
    assert all(part.isdigit() for part in (major, minor, patch))
