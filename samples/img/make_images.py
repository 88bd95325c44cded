"""Draw the pictures that the tour deck (samples/tour.md) shows.

The images are committed, so prexterm never runs this script. It is kept as a
record of how they were made, and to make them again after a change:

    python3 samples/img/make_images.py

Everything is drawn from plain shapes with Pillow; no outside artwork is used.
Files stay small: the photos are JPEG at quality 80, the drawings are PNGs with
a short palette.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent


def blend(a, b, t):
    """Mix two RGB colours; t=0 gives a, t=1 gives b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def sky(draw, width, height, top, bottom):
    """Fill the picture with a vertical gradient, one line at a time."""
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=blend(top, bottom, y / (height - 1)))


def ridge(draw, width, base, peaks, colour):
    """A mountain range: a polygon through the given (x, y) peaks down to the bottom edge."""
    points = [(0, base), *peaks, (width, base), (width, 10_000), (0, 10_000)]
    draw.polygon(points, fill=colour)


def landscape(name, top, bottom, sun, ranges, water):
    """A 1600x900 'photo': sky, a sun or moon, three mountain ranges and a lake."""
    width, height = 1600, 900
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    sky(draw, width, height, top, bottom)
    x, y, r = sun
    draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 244, 214))
    ridge(
        draw,
        width,
        560,
        [(180, 330), (420, 470), (700, 280), (980, 450), (1250, 300), (1600, 420)],
        ranges[0],
    )
    ridge(
        draw,
        width,
        620,
        [(120, 520), (380, 430), (640, 560), (900, 410), (1180, 540), (1450, 460)],
        ranges[1],
    )
    ridge(
        draw, width, 700, [(260, 610), (560, 660), (820, 590), (1100, 650), (1400, 600)], ranges[2]
    )
    draw.rectangle([0, 700, width, height], fill=water)
    for i in range(12):  # a few streaks of light on the water
        yy = 720 + i * 14
        half = 160 - i * 10
        draw.line(
            [(x - half, yy), (x + half, yy)], fill=blend(water, (255, 244, 214), 0.5), width=3
        )
    image.save(HERE / name, quality=80, optimize=True)


def logo():
    """A 256x256 mark: a rounded terminal window with a prompt and a slide."""
    image = Image.new("RGB", (256, 256), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([16, 32, 240, 224], radius=24, fill=(51, 51, 51))
    draw.rounded_rectangle([16, 32, 240, 72], radius=24, fill=(85, 85, 85))
    draw.rectangle([16, 56, 240, 72], fill=(85, 85, 85))
    for i, colour in enumerate([(204, 17, 17), (230, 180, 40), (17, 204, 17)]):
        draw.ellipse([36 + i * 26, 44, 52 + i * 26, 60], fill=colour)
    draw.polygon([(44, 104), (84, 128), (44, 152)], fill=(17, 204, 17))  # the prompt
    draw.rectangle([100, 140, 150, 152], fill=(204, 204, 204))  # the cursor line
    draw.rounded_rectangle([150, 100, 220, 196], radius=8, fill=(239, 239, 239))  # a slide
    for row in range(4):
        draw.rectangle([162, 114 + row * 18, 208 - row * 8, 122 + row * 18], fill=(120, 120, 120))
    image.quantize(colors=16).save(HERE / "logo.png", optimize=True)


def diagram():
    """An 800x450 drawing of the path a deck takes: file, parser, slides, screen."""
    image = Image.new("RGB", (800, 450), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    boxes = ["deck.md", "parser", "slides", "screen"]
    for i, label in enumerate(boxes):
        left = 30 + i * 195
        draw.rounded_rectangle(
            [left, 170, left + 150, 280],
            radius=14,
            fill=(239, 239, 239),
            outline=(51, 51, 51),
            width=3,
        )
        draw.text((left + 75, 225), label, fill=(51, 51, 51), font=font, anchor="mm")
        if i < len(boxes) - 1:
            start, end = left + 156, left + 189
            draw.line([(start, 225), (end - 10, 225)], fill=(51, 51, 51), width=4)
            draw.polygon([(end, 225), (end - 14, 215), (end - 14, 235)], fill=(51, 51, 51))
    small = ImageFont.load_default(size=18)
    draw.text(
        (400, 90), "How a deck reaches the terminal", fill=(51, 51, 51), font=font, anchor="mm"
    )
    draw.text(
        (400, 350),
        "!include and !code files join in at the parser",
        fill=(110, 110, 110),
        font=small,
        anchor="mm",
    )
    image.quantize(colors=16).save(HERE / "diagram.png", optimize=True)


if __name__ == "__main__":
    landscape(
        "landscape.jpg",
        top=(90, 150, 215),
        bottom=(235, 215, 190),
        sun=(1180, 210, 70),
        ranges=[(120, 140, 170), (80, 105, 125), (50, 75, 70)],
        water=(70, 120, 160),
    )
    landscape(
        "dusk.jpg",
        top=(30, 30, 70),
        bottom=(230, 120, 90),
        sun=(420, 470, 60),
        ranges=[(90, 60, 100), (60, 40, 75), (35, 25, 50)],
        water=(45, 40, 80),
    )
    logo()
    diagram()
