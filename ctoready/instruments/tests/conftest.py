from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"


@pytest.fixture
def mini_text() -> str:
    return MINI.read_text(encoding="utf-8")


@pytest.fixture
def write_yaml(tmp_path):
    def write(text: str, name: str = "instrument.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
