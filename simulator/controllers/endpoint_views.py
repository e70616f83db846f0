"""The store's windows onto the Endpoints controller: Endpoints and EndpointSlice objects
are derived when read, never stored (`Store.provide`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from simulator.store import Key, Store

if TYPE_CHECKING:
    from .endpoints import EndpointsController


class EndpointsView:
    """Endpoints: managed ones derived, manual ones as written."""

    def __init__(self, controller: EndpointsController) -> None:
        self._c = controller

    def get(self, store: Store, namespace: str, name: str) -> dict | None:
        return self._c.endpoints_object(store, namespace, name)

    def names(self, store: Store) -> Iterable[Key]:  # noqa: ARG002 - the Provider protocol
        return self._c.keys()


class SliceView:
    """EndpointSlices: managed Services' slices, and manual Endpoints mirrored."""

    def __init__(self, controller: EndpointsController) -> None:
        self._c = controller

    def get(self, store: Store, namespace: str, name: str) -> dict | None:
        base = name.rsplit("-", 1)[0]
        for obj in self._c.endpoint_slices(store, (namespace, base)):
            if obj["metadata"]["name"] == name:
                return obj
        return None

    def names(self, store: Store) -> Iterable[Key]:
        return [
            (key[0], obj["metadata"]["name"])
            for key in sorted(self._c.keys())
            for obj in self._c.endpoint_slices(store, key)
        ]
