"""The picture cache: prepare and get, staleness, bounds, and threads."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from prexterm.pictures import cache as cache_module
from prexterm.pictures.cache import Picture, PictureCache
from prexterm.pictures.decode import MISSING, NOT_A_PICTURE, Decoded
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
