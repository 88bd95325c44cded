"""The picture cache: prepare and get, staleness, bounds, and threads."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from prexterm.pictures import cache as cache_module
from prexterm.pictures.cache import (
    DECODES_AT_ONCE,
    DecodeSlots,
    NotWanted,
    Picture,
    PictureCache,
)
from prexterm.pictures.decode import (
    MISSING,
    NOT_A_PICTURE,
    NOT_A_REGULAR_FILE,
    OUTSIDE_ROOT,
    Decoded,
)
from prexterm.pictures.halfblock import UPPER_HALF
from tests.pictures.helpers import grid

Image = pytest.importorskip("PIL.Image")


def _png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (40, 20)) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def test_get_is_none_until_prepared(tmp_path: Path) -> None:
    path = _png(tmp_path / "a.png", (1, 2, 3))
    cache = PictureCache()
    assert cache.get(path, 20, 10) is None
    prepared = cache.prepare(path, 20, 10)
    assert prepared.ok and prepared.image is not None
    assert prepared.image.size == (20, 10)  # 40x20 into 20x20 pixels
    assert cache.get(path, 20, 10) is prepared
    assert cache.prepare(path, 20, 10) is prepared
    assert cache.get(path, 21, 10) is None


def test_halfblock_of_a_picture_is_exact_and_kept(tmp_path: Path) -> None:
    picture = PictureCache().prepare(_png(tmp_path / "a.png", (9, 8, 7)), 30, 12)
    drawn = picture.halfblock()
    assert drawn is not None and picture.halfblock() is drawn
    cells = grid(drawn, 30)
    assert len(cells) == 12 and all(len(row) == 30 for row in cells)
    assert cells[6][15] == (UPPER_HALF, (9, 8, 7), (9, 8, 7))


def test_kitty_mode_scales_to_cell_pixels_and_gives_png(tmp_path: Path) -> None:
    picture = PictureCache().prepare(
        _png(tmp_path / "a.png", (9, 8, 7), (400, 200)), 20, 10, mode="kitty"
    )
    assert picture.image is not None and picture.image.size == (200, 100)
    png = picture.png()
    assert png is not None and png.startswith(b"\x89PNG")


def test_failures_are_results(tmp_path: Path) -> None:
    cache = PictureCache()
    missing = cache.prepare(tmp_path / "gone.png", 10, 10)
    assert not missing.ok and missing.reason == MISSING
    got = cache.get(tmp_path / "gone.png", 10, 10)
    assert got is not None and got.reason == MISSING
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a picture at all")
    assert cache.prepare(bad, 10, 10).reason == NOT_A_PICTURE
    assert cache.probe(bad).reason == NOT_A_PICTURE
    assert missing.halfblock() is None and missing.png() is None


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = _png(tmp_path / "a.png", (255, 0, 0))
    cache = PictureCache()
    first = cache.prepare(path, 4, 2)
    stat = path.stat()
    _png(path, (0, 255, 0))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert cache.get(path, 4, 2) is None
    second = cache.prepare(path, 4, 2)
    assert second is not first and second.image is not None
    assert second.image.getpixel((0, 0)) == (0, 255, 0)


def test_bounded_by_entries(tmp_path: Path) -> None:
    cache = PictureCache(entries=4)
    paths = [_png(tmp_path / f"{index}.png", (index, 0, 0)) for index in range(5)]
    for path in paths:
        cache.prepare(path, 4, 2)
    assert len(cache) <= 4
    assert cache.get(paths[-1], 4, 2) is not None
    assert cache.get(paths[0], 4, 2) is None


def test_bounded_by_pixels(tmp_path: Path) -> None:
    cache = PictureCache(max_pixels=30_000)
    paths = [_png(tmp_path / f"{index}.png", (index, 0, 0), (100, 100)) for index in range(6)]
    for path in paths:
        cache.prepare(path, 100, 50)  # 10,000 pixels decoded + 10,000 scaled
        assert cache.pixels <= 30_000
    assert cache.get(paths[-1], 100, 50) is not None


def test_lru_keeps_what_is_used(tmp_path: Path) -> None:
    cache = PictureCache(entries=4)
    keep = _png(tmp_path / "keep.png", (1, 1, 1))
    cache.prepare(keep, 4, 2)
    for index in range(4):
        cache.get(keep, 4, 2)
        cache.prepare(_png(tmp_path / f"{index}.png", (index, 0, 0)), 4, 2)
    assert cache.get(keep, 4, 2) is not None


def test_resizing_reuses_the_decoded_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real = cache_module.decode  # type: ignore[attr-defined]

    def counting(path: Path, box: tuple[int, int] | None = None, **kw: object) -> Decoded:
        calls.append(path)
        return real(path, box, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module, "decode", counting)
    path = _png(tmp_path / "a.png", (1, 2, 3))
    cache = PictureCache()
    for cols in range(10, 30):
        cache.prepare(path, cols, 10)
    assert len(calls) == 1


def test_threads_decode_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    started = threading.Event()
    release = threading.Event()
    real = cache_module.decode  # type: ignore[attr-defined]

    def slow(path: Path, box: tuple[int, int] | None = None, **kw: object) -> Decoded:
        calls.append(path)
        started.set()
        release.wait(5)
        return real(path, box, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module, "decode", slow)
    path = _png(tmp_path / "a.png", (1, 2, 3))
    cache = PictureCache()
    results: list[Picture] = []
    lock = threading.Lock()

    def work() -> None:
        picture = cache.prepare(path, 10, 5)
        with lock:
            results.append(picture)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert started.wait(5)
    assert cache.get(path, 10, 5) is None  # still decoding: not ready, and get does not wait
    release.set()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1
    assert len(results) == 8 and all(result is results[0] for result in results)


def test_clear(tmp_path: Path) -> None:
    cache = PictureCache()
    path = _png(tmp_path / "a.png", (1, 2, 3))
    cache.prepare(path, 4, 2)
    cache.clear()
    assert len(cache) == 0 and cache.pixels == 0 and cache.get(path, 4, 2) is None


def _counting_decodes(
    monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> tuple[list[Path], list[int]]:
    """Make every decode wait for `release`; returns the paths decoded, in order, and the
    most decodes seen running at once."""
    real = cache_module.decode  # type: ignore[attr-defined]
    order: list[Path] = []
    running = [0, 0]  # now, most
    lock = threading.Lock()

    def slow(path: Path, box: tuple[int, int] | None = None, **kw: object) -> Decoded:
        with lock:
            order.append(path)
            running[0] += 1
            running[1] = max(running[1], running[0])
        release.wait(5)
        try:
            return real(path, box, **kw)  # type: ignore[arg-type]
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(cache_module, "decode", slow)
    return order, running


def test_no_more_than_two_decodes_run_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    order, running = _counting_decodes(monkeypatch, release)
    paths = [_png(tmp_path / f"{n}.png", (n, 2, 3)) for n in range(8)]
    cache = PictureCache()
    threads = [threading.Thread(target=cache.prepare, args=(path, 10, 5)) for path in paths]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while len(order) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    assert len(order) == 2  # the other six wait for a slot
    release.set()
    for thread in threads:
        thread.join(5)
    assert running[1] == DECODES_AT_ONCE == 2 and cache.slots.most == 2
    assert len(order) == 8 and all(cache.get(path, 10, 5) for path in paths)


def test_the_slide_shown_decodes_before_slides_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    order, _ = _counting_decodes(monkeypatch, release)
    cache = PictureCache(slots=DecodeSlots(1))
    first, *ahead, shown = [_png(tmp_path / f"{n}.png", (n, 2, 3)) for n in range(5)]

    def prepare(path: Path, *, urgent: bool) -> None:
        with cache.slots.priority(urgent=urgent):
            cache.prepare(path, 10, 5)

    threads = [threading.Thread(target=prepare, args=(first,), kwargs={"urgent": False})]
    threads[0].start()
    while not order:
        time.sleep(0.01)
    for path, urgent in [*((path, False) for path in ahead), (shown, True)]:
        threads.append(threading.Thread(target=prepare, args=(path,), kwargs={"urgent": urgent}))
        threads[-1].start()
        time.sleep(0.05)  # each in turn waits for the slot
    release.set()
    for thread in threads:
        thread.join(5)
    # The shown slide first, then the latest slides ahead before older ones.
    assert order == [first, shown, *reversed(ahead)]


def test_a_slide_left_while_waiting_is_not_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    order, _ = _counting_decodes(monkeypatch, release)
    cache = PictureCache(slots=DecodeSlots(1))
    busy, left = _png(tmp_path / "busy.png", (1, 2, 3)), _png(tmp_path / "left.png", (4, 5, 6))
    wanted = [True]
    outcome: list[str] = []

    def prepare_left() -> None:
        try:
            with cache.slots.priority(urgent=True, wanted=lambda: wanted[0]):
                cache.prepare(left, 10, 5)
            outcome.append("decoded")
        except NotWanted:
            outcome.append("skipped")

    first = threading.Thread(target=cache.prepare, args=(busy, 10, 5))
    first.start()
    while not order:
        time.sleep(0.01)
    second = threading.Thread(target=prepare_left)
    second.start()
    time.sleep(0.05)
    wanted[0] = False  # the presenter moved on
    release.set()
    first.join(5)
    second.join(5)
    assert order == [busy] and outcome == ["skipped"]
    assert cache.get(left, 10, 5) is None
    # Wanted again later: decoded then.
    assert cache.prepare(left, 10, 5).ok


def test_a_picture_swapped_for_a_link_out_of_the_root_is_a_placeholder(tmp_path: Path) -> None:
    root = tmp_path / "deck"
    root.mkdir()
    path = _png(root / "a.png", (1, 2, 3))
    canary = _png(tmp_path / "canary.png", (255, 0, 255))
    cache = PictureCache(root=root)
    assert cache.probe(path).reason is None
    path.unlink()
    path.symlink_to(canary)
    assert cache.probe(path).reason == OUTSIDE_ROOT
    picture = cache.prepare(path, 10, 5)
    assert picture.image is None and picture.reason == OUTSIDE_ROOT


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_a_placeholder_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "a.png"
    os.mkfifo(fifo)
    cache = PictureCache(root=tmp_path)
    assert cache.probe(fifo).reason == NOT_A_REGULAR_FILE
    assert cache.prepare(fifo, 10, 5).reason == NOT_A_REGULAR_FILE
