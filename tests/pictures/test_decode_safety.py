"""Pictures a hostile deck or a changing disk could use: links out, FIFOs, memory bombs.

The deck's paths were checked when it was read; these are the files that change under
the player afterwards, and pictures made to cost far more memory than their pixels say.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import threading
import zlib
from pathlib import Path

import pytest

from prexterm.pictures.decode import (
    MAX_DECODE_BYTES,
    NOT_A_REGULAR_FILE,
    OUTSIDE_ROOT,
    decode,
    decode_bytes,
    probe,
)

Image = pytest.importorskip("PIL.Image")

CANARY = (255, 0, 255)


def _png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (16, 8)) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def _deck_and_canary(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A deck root with `pic.png`, and a canary picture beside (outside) the root."""
    root = tmp_path / "deck"
    root.mkdir()
    picture = _png(root / "pic.png", (10, 200, 30))
    canary = _png(tmp_path / "canary.png", CANARY)
    return root, picture, canary


def test_picture_inside_the_root_decodes(tmp_path: Path) -> None:
    root, picture, _ = _deck_and_canary(tmp_path)
    result = decode(picture, root=root)
    assert result.image is not None and result.image.getpixel((0, 0)) == (10, 200, 30)


def test_picture_swapped_for_a_link_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root, picture, canary = _deck_and_canary(tmp_path)
    picture.unlink()
    picture.symlink_to(canary)
    assert decode(picture, root=root) == (None, OUTSIDE_ROOT, None)
    assert probe(picture, root=root).reason == OUTSIDE_ROOT


def test_folder_swapped_for_a_link_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root, _, canary = _deck_and_canary(tmp_path)
    folder = root / "photos"
    folder.symlink_to(canary.parent, target_is_directory=True)
    assert decode(folder / "canary.png", root=root).reason == OUTSIDE_ROOT


def test_link_inside_the_root_still_decodes(tmp_path: Path) -> None:
    root, picture, _ = _deck_and_canary(tmp_path)
    link = root / "again.png"
    link.symlink_to(picture)
    result = decode(link, root=root)
    assert result.image is not None and result.image.getpixel((0, 0)) == (10, 200, 30)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_not_a_regular_file_and_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "pic.png"
    os.mkfifo(fifo)
    results: list[object] = []
    reader = threading.Thread(
        target=lambda: results.extend([decode(fifo, root=tmp_path), probe(fifo)]), daemon=True
    )
    reader.start()
    reader.join(5.0)
    if reader.is_alive():
        # Unblock the reader so that the test run can end, then fail.
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO as a picture blocked")
    assert [r.reason for r in results] == [NOT_A_REGULAR_FILE, NOT_A_REGULAR_FILE]  # type: ignore[attr-defined]


def test_device_is_not_a_regular_file() -> None:
    assert decode(Path("/dev/zero")).reason == NOT_A_REGULAR_FILE


def _png_16bit(path: Path, width: int, height: int, *, alpha: bool) -> Path:
    """A 16-bit RGB(A) PNG written row by row, so that making it takes little memory."""
    channels = 4 if alpha else 3
    colour_type = 6 if alpha else 2

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    packer = zlib.compressobj(1)
    row = (
        b"\x00"
        + bytes(range(256)) * (width * channels * 2 // 256)
        + b"\x00" * (width * channels * 2 % 256)
    )
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)))
        data = bytearray()
        for _ in range(height):
            data += packer.compress(row)
            if len(data) > 1 << 20:
                out.write(chunk(b"IDAT", bytes(data)))
                data.clear()
        data += packer.flush()
        out.write(chunk(b"IDAT", bytes(data)))
        out.write(chunk(b"IEND", b""))
    return path


def _peak_of_decode(path: Path, box: tuple[int, int]) -> tuple[str, int]:
    """Decode `path` at `box` in a fresh Python; its reason and peak RSS growth in bytes.

    Linux carries the peak of the process that `exec`s into the new program (here the
    test run's own) in `ru_maxrss`; started from a shell that forks it, the child's
    peak is its own.
    """
    script = textwrap.dedent(
        f"""
        import resource
        from pathlib import Path
        from PIL import Image  # imported before the baseline is taken
        from prexterm.pictures.decode import decode

        def peak():
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

        before = peak()
        result = decode(Path({str(path)!r}), {box!r})
        print(result.reason, result.image.size if result.image else None)
        print(peak() - before)
        """
    )
    done = subprocess.run(
        ["sh", "-c", '"$@" && :', "sh", sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    reason, grown = done.stdout.splitlines()
    return reason, int(grown)


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_large_16bit_picture_decodes_at_terminal_size_within_the_bound(tmp_path: Path) -> None:
    # 16-bit RGBA, 5000x5000: 25 megapixels that Pillow holds in 95 MB, just under the
    # decode limit; converting it whole would take two more copies.
    path = _png_16bit(tmp_path / "big.png", 5000, 5000, alpha=True)
    assert decode_bytes("RGBA", (5000, 5000), transparent=True) <= MAX_DECODE_BYTES
    reason, grown = _peak_of_decode(path, (512, 512))
    assert reason == "None (512, 512)"
    assert grown < 150 * 1024 * 1024, f"decoding took {grown // 2**20} MB"


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_16bit_picture_under_the_pixel_limit_is_refused_by_its_cost(tmp_path: Path) -> None:
    # 49 megapixels pass the pixel limit, but would take 187 MB to decode.
    path = _png_16bit(tmp_path / "bomb.png", 7000, 7000, alpha=True)
    assert probe(path).reason == ("too large to decode: 7000×7000 would take 187 MB, over 100 MB")
    reason, grown = _peak_of_decode(path, (100, 56))
    assert reason.startswith("too large to decode: 7000×7000")
    assert grown < 20 * 1024 * 1024, f"refusing took {grown // 2**20} MB"


@pytest.mark.parametrize("mode", ["RGBA", "P", "LA"])
def test_large_transparent_pictures_are_painted_over_the_background_in_strips(
    tmp_path: Path, mode: str
) -> None:
    # Opaque on the left, clear on the right, tall enough for several strips.
    picture = Image.new("RGBA", (1200, 3000), (0, 0, 0, 0))
    picture.paste((200, 200, 200, 255), (0, 0, 600, 3000))
    path = tmp_path / "clear.png"
    if mode == "P":
        converted = picture.convert("RGB").quantize(2)
        clear = converted.getpixel((1199, 0))
        converted.save(path, transparency=clear)
    else:
        picture.convert(mode).save(path)
    result = decode(path, (40, 100), background=(0, 0, 255))
    assert result.image is not None and result.image.size == (40, 100)
    left, right = result.image.getpixel((5, 50)), result.image.getpixel((34, 50))
    assert all(abs(a - b) <= 2 for a, b in zip(left, (200, 200, 200), strict=True)), left
    assert right == (0, 0, 255)
