"""Decoded and scaled pictures, kept so that moving between slides is instant.

Decoding a camera photo takes tens of milliseconds even at reduced size, far too long
for a key press, and a talk goes back and forth over the same slides. So the player
decodes in worker threads, ahead of time (`prepare` the next slide's pictures), and
drawing only looks results up (`get`). Entries are keyed by the file's path, its
modification time and size (an edited picture is read again), the target cells, the
mode and the background; the cache is a small LRU bounded both by entries and by
pixels, since one 4K picture weighs as much as a hundred thumbnails.

Two levels are kept: the file decoded once at a working size (`WORKING_SIZE`), and
from it each target size, which then costs a resize rather than a decode when the
window changes size.

Decoding a large picture briefly takes up to `MAX_DECODE_BYTES` of memory, so however
many threads ask (the slide shown, the slides drawn ahead, a resize), at most
`DECODES_AT_ONCE` decodes run at a time, and the slide shown goes first (`DecodeSlots`).
"""

from __future__ import annotations

import heapq
import io
import itertools
import os
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from prexterm.pictures.decode import (
    MISSING,
    NOT_A_REGULAR_FILE,
    RGB,
    Decoded,
    decode,
    probe,
    scale_to_fit,
)

if TYPE_CHECKING:
    from PIL import Image

    from prexterm.pictures.halfblock import HalfBlockPicture

__all__ = [
    "CELL_PIXELS",
    "DECODES_AT_ONCE",
    "WORKING_SIZE",
    "DecodeSlots",
    "NotWanted",
    "Picture",
    "PictureCache",
]

DECODES_AT_ONCE = 2
"""Decodes that may run at the same time: one for the slide shown, one drawing ahead.

Each holds up to `MAX_DECODE_BYTES` while it runs; two keep a quick walk through
large pictures under about 300 MB, and the machine's other core free for the screen.
"""

WORKING_SIZE = 512
"""Pictures are first decoded to fit this many pixels square (or the target, if larger).

512 pixels are 512 columns or 256 rows of half blocks, more than a terminal shows,
and let a JPEG decode at 1/8 scale, which is what makes a camera photo quick.
"""

CELL_PIXELS = (10, 20)
"""Pixels per cell assumed for the kitty protocol, which scales to the cells anyway."""

_BLACK: RGB = (0, 0, 0)

_T = TypeVar("_T")


class Picture:
    """A picture scaled for `cols` x `rows` cells in one mode, or why there is none.

    `image` fits (without distortion) in `cols` x `2 * rows` pixels for half blocks,
    or in the cells' pixels (`CELL_PIXELS`) for kitty. The drawings made from it are
    kept on the object, so the cache holds them too.
    """

    def __init__(
        self,
        image: Image.Image | None,
        reason: str | None,
        *,
        cols: int,
        rows: int,
        mode: str,
        size: tuple[int, int] | None = None,
    ) -> None:
        self.image = image
        self.reason = reason
        self.cols = cols
        self.rows = rows
        self.mode = mode
        self.size = size
        """The picture's own size in pixels, when known."""
        self._halfblock: dict[RGB | None, HalfBlockPicture] = {}
        self._png: bytes | None = None

    @property
    def ok(self) -> bool:
        return self.image is not None

    @property
    def pixels(self) -> int:
        return self.image.width * self.image.height if self.image is not None else 0

    def halfblock(self, background: RGB | None = None) -> HalfBlockPicture | None:
        """The picture in half blocks, exactly `cols` x `rows` cells, or None if failed."""
        if self.image is None:
            return None
        drawn = self._halfblock.get(background)
        if drawn is None:
            from prexterm.pictures.halfblock import HalfBlockPicture  # drawing: first need

            drawn = HalfBlockPicture.from_image(
                self.image, self.cols, self.rows, background=background
            )
            self._halfblock[background] = drawn
        return drawn

    def png(self) -> bytes | None:
        """The picture as PNG data for the kitty protocol, or None if failed."""
        if self.image is None:
            return None
        if self._png is None:
            buffer = io.BytesIO()
            self.image.save(buffer, format="PNG", compress_level=1)
            self._png = buffer.getvalue()
        return self._png

    def __repr__(self) -> str:
        shown = f"{self.image.width}x{self.image.height}" if self.image else repr(self.reason)
        return f"Picture({shown}, cols={self.cols}, rows={self.rows}, mode={self.mode!r})"


class NotWanted(Exception):
    """A decode waited for its turn, and by then its slide had been left."""


class DecodeSlots:
    """At most `limit` decodes at once, for every thread of the player together.

    A thread that wants to decode takes a slot (`slot`), waiting while all are taken.
    When one frees, the most urgent waiter gets it (the slide on screen before slides
    drawn ahead), and among equals the latest: after a quick run of key presses the
    slide the presenter stopped at is decoded first, not the ones skipped over.
    """

    def __init__(self, limit: int = DECODES_AT_ONCE) -> None:
        self.limit = max(1, limit)
        self._lock = threading.Condition()
        self._running = 0
        self._most = 0
        self._waiting: list[tuple[int, int]] = []
        self._order = itertools.count()
        self._local = threading.local()

    @property
    def most(self) -> int:
        """The most decodes that ever ran at once (for tests and measurements)."""
        with self._lock:
            return self._most

    @contextmanager
    def ahead(self, wanted: Callable[[], bool] | None = None) -> Iterator[None]:
        """Decodes on this thread, within the block, wait behind the slide on screen.

        `wanted`, if given, is asked when a slot comes free; when it says no, the
        decode raises `NotWanted` instead of running.
        """
        with self.priority(urgent=False, wanted=wanted):
            yield

    @contextmanager
    def priority(self, *, urgent: bool, wanted: Callable[[], bool] | None = None) -> Iterator[None]:
        """Decodes on this thread, within the block, are `urgent` or not (see `ahead`)."""
        previous = getattr(self._local, "state", None)
        self._local.state = (urgent, wanted)
        try:
            yield
        finally:
            self._local.state = previous

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the slots while the block runs (a decode)."""
        urgent, wanted = getattr(self._local, "state", None) or (True, None)
        ticket = (0 if urgent else 1, -next(self._order))
        with self._lock:
            heapq.heappush(self._waiting, ticket)
            while self._running >= self.limit or self._waiting[0] != ticket:
                self._lock.wait()
            heapq.heappop(self._waiting)
            if wanted is not None and not wanted():
                self._lock.notify_all()
                raise NotWanted
            self._running += 1
            self._most = max(self._most, self._running)
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                self._lock.notify_all()


_Stamp = tuple[str, int, int]
_Key = tuple[object, ...]


class PictureCache:
    """A thread-safe LRU of decoded pictures for the player.

    `prepare` decodes (call it from a worker thread, ahead of time); `get` never
    decodes and returns None until `prepare` has finished; `probe` reads only a file's
    header, cheaply enough for the UI thread. All of them never raise for a bad file.
    When two threads prepare the same picture, one decodes and the other waits for it.
    """

    def __init__(
        self,
        *,
        entries: int = 32,
        max_pixels: int = 12_000_000,
        background: RGB | None = None,
        root: Path | None = None,
        slots: DecodeSlots | None = None,
    ) -> None:
        self.entries = max(1, entries)
        self.root = root
        """Pictures are read only from inside this folder (the deck root), if given."""
        self.slots = slots if slots is not None else DecodeSlots()
        """Bounds the decodes that run at once (see `DecodeSlots`)."""
        self.max_pixels = max_pixels
        self.background = background
        """Transparent parts of pictures are painted in this colour (None: black)."""
        self._lock = threading.Lock()
        self._items: OrderedDict[_Key, Decoded | Picture] = OrderedDict()
        self._pixels = 0
        self._pending: dict[_Key, threading.Event] = {}
        self._probes: OrderedDict[_Stamp, Decoded] = OrderedDict()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    @property
    def pixels(self) -> int:
        """Pixels held now (decoded and scaled pictures together)."""
        with self._lock:
            return self._pixels

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._probes.clear()
            self._pixels = 0

    def probe(self, path: Path) -> Decoded:
        """Whether the picture looks usable, from its header (see `decode.probe`)."""
        stamp = _stamp(path)
        if isinstance(stamp, Decoded):
            return stamp
        with self._lock:
            known = self._probes.get(stamp)
            if known is not None:
                self._probes.move_to_end(stamp)
                return known
        result = probe(path, self.root)
        with self._lock:
            self._probes[stamp] = result
            while len(self._probes) > 4 * self.entries:
                self._probes.popitem(last=False)
        return result

    def get(self, path: Path, cols: int, rows: int, *, mode: str = "halfblock") -> Picture | None:
        """The prepared picture for these cells, or None when it is not ready yet.

        A file that is gone gives a failed Picture at once: there is nothing to wait for.
        """
        stamp = _stamp(path)
        if isinstance(stamp, Decoded):
            return Picture(None, stamp.reason, cols=cols, rows=rows, mode=mode)
        key = self._key(stamp, cols, rows, mode)
        with self._lock:
            item = self._items.get(key)
            if isinstance(item, Picture):
                self._items.move_to_end(key)
                return item
        return None

    def prepare(self, path: Path, cols: int, rows: int, *, mode: str = "halfblock") -> Picture:
        """Decode and scale the picture for `cols` x `rows` cells, or return it if known.

        Blocks while decoding (up to tens of milliseconds for a large photo), so the
        player calls it from a worker thread; its result is what `get` returns later.
        Raises `NotWanted` when the thread's `DecodeSlots.ahead` says so.
        """
        cols, rows = max(1, cols), max(1, rows)
        stamp = _stamp(path)
        if isinstance(stamp, Decoded):
            return Picture(None, stamp.reason, cols=cols, rows=rows, mode=mode)
        box = _pixel_box(cols, rows, mode)
        background = self.background or _BLACK

        def scaled() -> Picture:
            working = (max(WORKING_SIZE, box[0]), max(WORKING_SIZE, box[1]))
            source = self._once(
                ("decoded", *stamp, working, background),
                lambda: self._decode(path, working, background),
            )
            assert isinstance(source, Decoded)
            if source.image is None:
                return Picture(
                    None, source.reason, cols=cols, rows=rows, mode=mode, size=source.size
                )
            return Picture(
                scale_to_fit(source.image, box),
                None,
                cols=cols,
                rows=rows,
                mode=mode,
                size=source.size,
            )

        result = self._once(self._key(stamp, cols, rows, mode), scaled)
        assert isinstance(result, Picture)
        return result

    def _decode(self, path: Path, box: tuple[int, int], background: RGB) -> Decoded:
        with self.slots.slot():
            return decode(path, box, background=background, root=self.root)

    def _key(self, stamp: _Stamp, cols: int, rows: int, mode: str) -> _Key:
        return ("scaled", *stamp, max(1, cols), max(1, rows), mode, self.background or _BLACK)

    def _once(self, key: _Key, make: Callable[[], _T]) -> Decoded | Picture | _T:
        """The cached value for `key`, made by this thread or waited for if another is."""
        while True:
            with self._lock:
                item = self._items.get(key)
                if item is not None:
                    self._items.move_to_end(key)
                    return item
                event = self._pending.get(key)
                owner = event is None
                if event is None:
                    event = self._pending[key] = threading.Event()
            if owner:
                break
            event.wait()
        try:
            value = make()
        finally:
            with self._lock:
                self._pending.pop(key, None)
            event.set()
        if isinstance(value, Decoded | Picture):
            self._store(key, value)
        return value

    def _store(self, key: _Key, value: Decoded | Picture) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._pixels -= _pixels(old)
            self._items[key] = value
            self._pixels += _pixels(value)
            while len(self._items) > 1 and (
                len(self._items) > self.entries or self._pixels > self.max_pixels
            ):
                _, dropped = self._items.popitem(last=False)
                self._pixels -= _pixels(dropped)


def _pixels(item: Decoded | Picture) -> int:
    if isinstance(item, Picture):
        return item.pixels
    return item.image.width * item.image.height if item.image is not None else 0


def _pixel_box(cols: int, rows: int, mode: str) -> tuple[int, int]:
    if mode == "kitty":
        return cols * CELL_PIXELS[0], rows * CELL_PIXELS[1]
    return cols, 2 * rows


def _stamp(path: Path) -> _Stamp | Decoded:
    """What identifies a version of the file, or a failed Decoded if it cannot be read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Decoded(None, MISSING)
    except OSError as error:
        return Decoded(None, f"cannot read: {error.strerror or error}")
    if not stat.S_ISREG(info.st_mode):
        return Decoded(None, NOT_A_REGULAR_FILE)
    return (os.fspath(path), info.st_mtime_ns, info.st_size)
