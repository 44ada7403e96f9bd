"""Values derived from a built instrument, kept for as long as the process runs.

``services.document_for`` builds one immutable :class:`Instrument` per stored version and
process, so what is computed from it (the scoring model, the adaptive item bank, typical
page times, simulated reliability) is computed once and kept beside it. Documents are
told apart by identity: hashing one would walk its whole tree. Each entry holds its
document, so the id it is filed under cannot pass to another object while it lives.
"""

from collections.abc import Callable

from ctoready.instruments.document import Instrument


class PerDocument[T]:
    """One value of type ``T`` per document object."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[Instrument, T]] = {}

    def get_or_build(self, doc: Instrument, build: Callable[[], T]) -> T:
        """The value kept for ``doc``; ``build()`` makes it the first time it is asked for."""
        held = self._held.get(id(doc))
        if held is not None and held[0] is doc:
            return held[1]
        value = build()
        self._held[id(doc)] = (doc, value)
        return value
