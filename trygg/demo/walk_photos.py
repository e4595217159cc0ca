"""Photos for the demo's walk findings, drawn with PIL: abstract scenes of the places, never
people. A dark lamp post on a path, a bush grown over a path, graffiti strokes on a wall, a
littered corner, a dark doorway. Seeded: the same seed draws the same picture."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

SIZE = (640, 480)
SKY_DAY, SKY_DUSK = (168, 196, 222), (38, 46, 72)
GROUND = (110, 118, 104)
PATH = (150, 146, 138)


def _canvas(dark: bool) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", SIZE, SKY_DUSK if dark else SKY_DAY)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 300, SIZE[0], SIZE[1]], fill=GROUND)
    draw.polygon([(250, 300), (390, 300), (560, 480), (80, 480)], fill=PATH)
    return image, draw


def lamp_post(rng: random.Random, dark: bool) -> Image.Image:
    """A lamp post beside the path, its lamp out (grey) or lit (a yellow glow)."""
    image, draw = _canvas(dark)
    x = 420 + rng.randint(-20, 20)
    draw.rectangle([x, 90, x + 10, 330], fill=(70, 72, 76))
    draw.rectangle([x - 40, 80, x + 10, 92], fill=(70, 72, 76))
    lit = rng.random() < 0.3
    if lit:
        draw.ellipse([x - 80, 70, x + 10, 150], fill=(120, 110, 60))
    draw.ellipse([x - 52, 86, x - 24, 104], fill=(240, 220, 120) if lit else (120, 120, 124))
    return image


def bush_over_path(rng: random.Random, dark: bool) -> Image.Image:
    """Green blobs grown out over the path, hiding what is behind them."""
    image, draw = _canvas(dark)
    for _ in range(26):
        cx, cy = rng.randint(160, 470), rng.randint(200, 380)
        r = rng.randint(30, 70)
        green = (30 + rng.randint(0, 30), 90 + rng.randint(0, 60), 40 + rng.randint(0, 20))
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=green)
    return image


def graffiti_wall(rng: random.Random, dark: bool) -> Image.Image:
    """A brick wall with spray strokes across it."""
    image = Image.new("RGB", SIZE, (150, 80, 64))
    draw = ImageDraw.Draw(image)
    for row, y in enumerate(range(0, SIZE[1], 30)):
        draw.line([(0, y), (SIZE[0], y)], fill=(190, 180, 170), width=3)
        for x in range(-30 if row % 2 else 0, SIZE[0], 60):
            draw.line([(x, y), (x, y + 30)], fill=(190, 180, 170), width=3)
    for _ in range(7):
        colour = rng.choice([(20, 20, 20), (30, 90, 200), (220, 40, 120), (250, 250, 250)])
        points = [(rng.randint(60, 580), rng.randint(120, 380)) for _ in range(5)]
        draw.line(points, fill=colour, width=rng.randint(8, 16), joint="curve")
    if dark:
        image = Image.eval(image, lambda v: v // 3)
    return image


def litter(rng: random.Random, dark: bool) -> Image.Image:
    """A path edge with scattered cans, paper and broken glass."""
    image, draw = _canvas(dark)
    for _ in range(40):
        x, y = rng.randint(60, 600), rng.randint(320, 470)
        colour = rng.choice([(230, 230, 225), (200, 40, 40), (80, 160, 90), (190, 200, 210)])
        draw.rectangle([x, y, x + rng.randint(6, 18), y + rng.randint(4, 10)], fill=colour)
    return image


def dark_doorway(rng: random.Random, dark: bool) -> Image.Image:
    """A building front with a doorway in shadow and a broken light above it."""
    image = Image.new("RGB", SIZE, (60, 62, 70) if dark else (196, 188, 170))
    draw = ImageDraw.Draw(image)
    door_x = 250 + rng.randint(-30, 30)
    draw.rectangle([door_x, 190, door_x + 140, 420], fill=(25, 25, 30))
    draw.rectangle([door_x + 50, 150, door_x + 90, 170], fill=(110, 110, 112))
    for x in (60, 470):
        draw.rectangle([x, 120, x + 110, 230], fill=(90, 110, 130))
    draw.rectangle([0, 420, SIZE[0], SIZE[1]], fill=(120, 120, 120))
    return image


SCENES = {
    "lamp": lamp_post,
    "bush": bush_over_path,
    "graffiti": graffiti_wall,
    "litter": litter,
    "doorway": dark_doorway,
}


def photo(scene: str, *, seed: int, dark: bool) -> SimpleUploadedFile:
    """A JPEG of `scene`, as the phone would send it (already made smaller)."""
    image = SCENES[scene](random.Random(seed), dark)  # noqa: S311 -- a picture, not a secret
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{scene}.jpg", out.getvalue(), content_type="image/jpeg")
