"""Decoding: formats by content, first frames, transparency, and every failure as a reason."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from prexterm.pictures.decode import (
    MISSING,
    NEED_PILLOW,
    NOT_A_PICTURE,
    NOT_A_REGULAR_FILE,
    decode,
    fit_size,
    pillow_available,
    probe,
)

Image = pytest.importorskip("PIL.Image")


def _solid(
    path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (8, 8), **kw: object
) -> Path:
    Image.new("RGB", size, colour).save(path, **kw)
    return path


def _huge_png(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header claims `width` x `height`: the size check must not load it."""
    data = bytearray(Path(_solid(path, (1, 2, 3), (1, 1))).read_bytes())
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


def test_png_decodes_to_rgb(tmp_path: Path) -> None:
    result = decode(_solid(tmp_path / "a.png", (10, 200, 30)))
    assert result.ok and result.reason is None
    assert result.image is not None and result.image.mode == "RGB"
    assert result.image.getpixel((3, 3)) == (10, 200, 30)
    assert result.size == (8, 8)


def test_content_decides_not_the_name(tmp_path: Path) -> None:
    path = _solid(tmp_path / "really-a-png.jpg", (0, 0, 255), format="PNG")
    result = decode(path)
    assert result.image is not None
    assert result.image.getpixel((0, 0)) == (0, 0, 255)  # lossless: it was read as PNG


def test_jpeg_decodes(tmp_path: Path) -> None:
    result = decode(_solid(tmp_path / "a.jpg", (200, 100, 50), (64, 48), quality=95))
    assert result.image is not None
    red, green, blue = result.image.getpixel((30, 20))  # type: ignore[misc]
    assert abs(red - 200) < 6 and abs(green - 100) < 6 and abs(blue - 50) < 6


def test_gif_gives_its_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (10, 10), colour) for colour in ((255, 0, 0), (0, 255, 0))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    result = decode(path)
    assert result.image is not None
    assert result.image.getpixel((5, 5)) == (255, 0, 0)


def test_webp_decodes(tmp_path: Path) -> None:
    features = pytest.importorskip("PIL.features")
    if not features.check("webp"):
        pytest.skip("this Pillow has no WebP")
    path = _solid(tmp_path / "a.webp", (0, 128, 255), (16, 16), lossless=True)
    result = decode(path)
    assert result.image is not None
    assert result.image.getpixel((8, 8)) == (0, 128, 255)


def test_transparency_is_painted_over_the_background(tmp_path: Path) -> None:
    image = Image.new("RGBA", (4, 2), (255, 0, 0, 255))
    image.putpixel((0, 0), (255, 255, 255, 0))
    image.putpixel((1, 0), (255, 255, 255, 128))
    path = tmp_path / "alpha.png"
    image.save(path)
    result = decode(path, background=(0, 0, 255))
    assert result.image is not None
    assert result.image.getpixel((0, 0)) == (0, 0, 255)
    assert result.image.getpixel((2, 0)) == (255, 0, 0)
    red, green, blue = result.image.getpixel((1, 0))  # type: ignore[misc]
    assert abs(red - 128) <= 2 and abs(green - 128) <= 2 and blue == 255


def test_palette_transparency(tmp_path: Path) -> None:
    image = Image.new("P", (2, 1))
    image.putpalette([0, 0, 0, 0, 255, 0] + [0] * 762)
    image.putpixel((0, 0), 0)
    image.putpixel((1, 0), 1)
    path = tmp_path / "p.gif"
    image.save(path, transparency=0)
    result = decode(path, background=(9, 9, 9))
    assert result.image is not None
    assert result.image.getpixel((0, 0)) == (9, 9, 9)
    assert result.image.getpixel((1, 0)) == (0, 255, 0)


def test_exif_rotation_is_applied(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated by 90 degrees
    path = tmp_path / "phone.jpg"
    image.save(path, exif=exif)
    assert probe(path).size == (20, 40)
    decoded = decode(path)
    assert decoded.image is not None and decoded.image.size == (20, 40)


def test_box_shrinks_but_keeps_the_aspect(tmp_path: Path) -> None:
    result = decode(_solid(tmp_path / "wide.png", (1, 1, 1), (400, 100)), (100, 100))
    assert result.image is not None and result.image.size == (100, 25)
    assert result.size == (400, 100)


def test_fit_size() -> None:
    assert fit_size((200, 100), (40, 80)) == (40, 20)
    assert fit_size((100, 200), (40, 80)) == (40, 80)
    assert fit_size((1, 1000), (40, 80)) == (1, 80)
    assert fit_size((0, 0), (0, 0)) == (1, 1)


def test_missing(tmp_path: Path) -> None:
    result = decode(tmp_path / "nope.png")
    assert result.reason == MISSING and result.image is None
    assert probe(tmp_path / "nope.png").reason == MISSING


def test_a_directory_is_not_a_regular_file(tmp_path: Path) -> None:
    assert decode(tmp_path).reason == NOT_A_REGULAR_FILE


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = _solid(tmp_path / "secret.png", (1, 1, 1))
    path.chmod(0)
    try:
        assert decode(path).reason == "cannot read: Permission denied"
    finally:
        path.chmod(0o644)


def test_random_bytes_are_not_a_picture(tmp_path: Path) -> None:
    path = tmp_path / "noise.png"
    path.write_bytes(bytes(range(256)) * 7)
    assert decode(path).reason == NOT_A_PICTURE
    assert probe(path).reason == NOT_A_PICTURE


@pytest.mark.parametrize("start", [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0"])
def test_a_damaged_png_or_jpeg_is_given_up_on_without_every_plugin(
    tmp_path: Path, start: bytes
) -> None:
    """Pillow would import all its format plugins (tens of milliseconds) before giving up."""
    path = tmp_path / "damaged.png"
    path.write_bytes(start + b"\0" * 20)
    script = (
        "import sys; from pathlib import Path\n"
        "from prexterm.pictures.decode import decode\n"
        f"print(decode(Path({str(path)!r})).reason)\n"
        "print('PIL.TiffImagePlugin' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == [NOT_A_PICTURE, "False"]


def test_empty_file_is_not_a_picture(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert decode(path).reason == NOT_A_PICTURE


def test_truncated_png(tmp_path: Path) -> None:
    noisy = Image.effect_noise((128, 128), 80).convert("RGB")
    full = tmp_path / "full.png"
    noisy.save(full)
    data = full.read_bytes()
    path = tmp_path / "cut.png"
    path.write_bytes(data[: len(data) // 2])
    assert probe(path).reason is None  # the header is fine ...
    result = decode(path)  # ... but the pixels are not
    assert result.image is None and result.reason == NOT_A_PICTURE


def test_header_claiming_a_huge_picture(tmp_path: Path) -> None:
    path = _huge_png(tmp_path / "huge.png", 12000, 9000)
    expected = "too large: 12000×9000 (over 50 megapixels)"
    assert decode(path).reason == expected
    assert probe(path).reason == expected


def test_past_pillow_bomb_limit_still_a_reason(tmp_path: Path) -> None:
    path = _huge_png(tmp_path / "bomb.png", 40000, 40000)  # Pillow itself refuses this
    reason = decode(path).reason
    assert reason is not None and reason.startswith("too large")


def test_bilevel_over_50_megapixels(tmp_path: Path) -> None:
    path = tmp_path / "bilevel.png"
    Image.new("1", (8000, 7000)).save(path)
    assert path.stat().st_size < 200_000
    started = time.perf_counter()
    assert decode(path).reason == "too large: 8000×7000 (over 50 megapixels)"
    assert time.perf_counter() - started < 0.5  # refused before any pixel was read


def test_without_pillow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _solid(tmp_path / "a.png", (1, 2, 3))
    monkeypatch.setitem(sys.modules, "PIL", None)
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    assert not pillow_available()
    assert decode(path).reason == NEED_PILLOW
    assert probe(path).reason == NEED_PILLOW
    assert NEED_PILLOW == "pictures need pip install 'prexterm[images]'"


def test_large_jpeg_is_quick(tmp_path: Path) -> None:
    from prexterm.pictures.halfblock import halfblock

    gradient = Image.linear_gradient("L").resize((4000, 3000))
    noise = Image.effect_noise((4000, 3000), 40)
    photo = Image.merge(
        "RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    path = tmp_path / "camera.jpg"
    photo.save(path, quality=90)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        result = decode(path, (100, 60))
        assert result.image is not None
        drawn = halfblock(result.image, 100, 30)
        timings.append(time.perf_counter() - started)
    assert drawn is not None and len(drawn.lines) == 30
    print(f"4000x3000 JPEG -> 100x30 cells: {min(timings) * 1000:.1f} ms (best of 3)")
    assert min(timings) < 1.0
