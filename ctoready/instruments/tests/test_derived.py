"""Values derived from a document are built once per document object, and never shared
with another document, even an equal one."""

from ctoready.instruments.derived import PerDocument
from ctoready.instruments.loader import load_file
from ctoready.instruments.tests.conftest import MINI


def test_value_is_built_once_per_document_object():
    doc = load_file(MINI).instrument
    kept: PerDocument[list[str]] = PerDocument()
    builds = []

    def build() -> list[str]:
        builds.append(doc.id)
        return [item.id for item in doc.items]

    first = kept.get_or_build(doc, build)
    assert kept.get_or_build(doc, build) is first
    assert builds == [doc.id]


def test_an_equal_document_built_again_gets_its_own_value():
    doc, again = load_file(MINI).instrument, load_file(MINI).instrument
    assert doc == again and doc is not again
    kept: PerDocument[object] = PerDocument()
    assert kept.get_or_build(doc, object) is not kept.get_or_build(again, object)
    assert kept.get_or_build(doc, object) is kept.get_or_build(doc, object)
