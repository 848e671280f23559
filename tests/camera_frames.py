"""Synthetic webcam frames of a badge, for the camera decoder's tests and benchmark.

Each frame is 1280×720 RGB: a cluttered room, an ID-1 badge (white card, coloured band, QR of the
plain NIP with error correction M and a 4-module quiet zone, a name and a NIP line) held by a hand at
some distance and angle, seen through a pinhole camera, then degraded the way cheap webcams degrade
it: defocus, motion blur, glare, low light and sensor noise, heavy JPEG, a phone screen instead of a
card (bezel, reflection, moiré).  Everything is drawn from a seed, so a run is repeatable.

    hard_frames()          the 20 hard frames behind the headline figure
    mixed_frames(n, seed)  random recipes for the tests (held out: not used to tune the decoder)
    extreme_frames()       each degradation alone, well past where zxing-cpp's defaults give up
    empty_frames(n, seed)  scenes without a QR code
    printed_frames()       the 20 hard recipes on badges exactly as ``ikrar badges`` prints them (RealBadge)
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kiosk.demo import FIRST, LAST, make_nip
from kiosk.documents.model import DocEvent, DocPerson
from kiosk.people.kinds import PersonKind

W, H = 1280, 720
FOCAL = 920.0                       # px; a 720p webcam with about 70° horizontal field of view
CARD_MM = (85.6, 54.0)
CARD_PX_PER_MM = 10
QR_MODULE_PX = 11                   # at card resolution
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@dataclass(frozen=True)
class Recipe:
    """What to draw and how to spoil it.  Angles in degrees; ``qr_px`` is the code's width on screen."""
    name: str
    qr_px: float = 200.0
    centre: tuple[float, float] = (640.0, 380.0)
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    phone: bool = False
    blur: float = 0.6               # Gaussian radius, px
    motion: float = 0.0             # motion blur length, px
    motion_angle: float = 0.0
    glare: float = 0.0              # peak brightness added (0–255) over part of the code
    glare_at: tuple[float, float] = (0.3, 0.3)   # where, as a fraction of the code's box
    glare_size: float = 0.35        # radius as a fraction of the code's width
    gain: float = 1.0               # exposure (low light < 1, washed out > 1)
    offset: float = 0.0             # added after gain (haze, lifted blacks)
    noise: float = 2.0              # sensor noise sigma after exposure
    jpeg: int = 80
    moire: float = 0.0              # phone screens: amplitude of the pixel-grid beat pattern
    payload: str | None = None      # None → a NIP drawn from the seed
    no_code: bool = False           # the badge's back (no QR): for empty frames
    badge: bool = True              # False: the scene alone


@dataclass(frozen=True)
class Frame:
    name: str
    image: Image.Image = field(repr=False)
    payload: str | None
    corners: tuple[tuple[float, float], ...] | None    # the code's corners in the frame (TL, TR, BR, BL)


# --- the 20 hard frames ----------------------------------------------------------------------------

HARD: tuple[Recipe, ...] = (
    # Each degradation is set a little past the point where zxing-cpp's defaults stop reading it
    # (found by sweeping each one alone), or combined with another.
    Recipe("defocus", qr_px=190, blur=5.0),
    Recipe("motion-blur", qr_px=210, motion=16, motion_angle=10),
    Recipe("glare-finder", qr_px=220, glare=230, glare_at=(0.2, 0.2), glare_size=0.4, yaw=15),
    Recipe("tilt-62", qr_px=230, yaw=62, pitch=10, roll=8),
    Recipe("low-light", qr_px=200, gain=0.06, noise=3.0, blur=1.0),
    Recipe("far-55px", qr_px=55, blur=1.0, centre=(700, 400)),
    Recipe("far-70px-jpeg", qr_px=70, jpeg=25, blur=1.0, roll=-12),
    Recipe("jpeg-q10", qr_px=100, jpeg=10, blur=1.0),
    Recipe("phone-moire", qr_px=190, phone=True, moire=0.6, glare=150, glare_at=(0.7, 0.4),
           glare_size=0.6, yaw=12, roll=5),
    Recipe("phone-dim-tilt", qr_px=170, phone=True, yaw=-35, pitch=15, gain=0.1, noise=4),
    Recipe("close-600px", qr_px=600, centre=(640, 360), blur=6.0, yaw=-10),
    Recipe("off-centre", qr_px=140, centre=(1110, 560), roll=25, blur=1.2),
    Recipe("upside-down", qr_px=200, roll=172, blur=1.6, motion=5),
    Recipe("blur-low-light", qr_px=210, blur=3.5, gain=0.1, noise=4),
    Recipe("glare-tilt", qr_px=240, yaw=-40, glare=220, glare_at=(0.55, 0.5), glare_size=0.35),
    Recipe("motion-jpeg", qr_px=180, motion=12, motion_angle=-30, jpeg=18),
    Recipe("far-low-light", qr_px=70, gain=0.12, noise=5, blur=0.9),
    Recipe("phone-motion", qr_px=200, phone=True, motion=12, motion_angle=80, moire=0.2, roll=-20),
    Recipe("washed-out", qr_px=200, gain=0.1, offset=215, noise=3, blur=1.2),
    Recipe("tilt-blur-jpeg-noise", qr_px=160, yaw=40, pitch=-20, blur=2.5, noise=7, jpeg=25),
)


EXTREME: tuple[Recipe, ...] = (
    Recipe("x-defocus-5.5", qr_px=190, blur=5.5),
    Recipe("x-defocus-6", qr_px=190, blur=6.0),
    Recipe("x-motion-18", qr_px=210, motion=18, motion_angle=10),
    Recipe("x-motion-22", qr_px=210, motion=22, motion_angle=-20),
    Recipe("x-glare-200", qr_px=220, glare=200, glare_at=(0.2, 0.2), glare_size=0.4, yaw=15),
    Recipe("x-glare-255", qr_px=220, glare=255, glare_at=(0.2, 0.2), glare_size=0.4, yaw=15),
    Recipe("x-tilt-68", qr_px=230, yaw=68, pitch=10, roll=8),
    Recipe("x-dark-0.05", qr_px=200, gain=0.05, noise=3, blur=1.0),
    Recipe("x-dark-0.04", qr_px=200, gain=0.04, noise=4, blur=1.0),
    Recipe("x-far-50px", qr_px=50, blur=1.0),
    Recipe("x-far-46px", qr_px=46, blur=1.0),
    Recipe("x-washed-out", qr_px=200, gain=0.08, offset=220, noise=3, blur=1.2),
)


def extreme_frames(seeds: tuple[int, ...] = (1, 2)) -> list[Frame]:
    """Each extreme recipe drawn once per seed: where a decoder's limits show."""
    return [replace(render(r, seed * 1000 + i), name=f"{r.name}/{seed}")
            for seed in seeds for i, r in enumerate(EXTREME)]


def hard_frames(seed: int = 2024) -> list[Frame]:
    """The 20 hard frames: one recipe each, payloads and clutter from ``seed``."""
    return [render(r, seed * 1000 + i) for i, r in enumerate(HARD)]


def mixed_frames(count: int, seed: int = 7) -> list[Frame]:
    """Random recipes mixing one to three degradations; some carry a badge code instead of a NIP."""
    rng = random.Random(seed)
    frames = []
    for i in range(count):
        r = Recipe(f"mixed-{i}", qr_px=rng.uniform(90, 420),
                   centre=(rng.uniform(350, 930), rng.uniform(230, 490)),
                   yaw=rng.uniform(-35, 35), pitch=rng.uniform(-20, 20), roll=rng.uniform(-30, 30),
                   phone=rng.random() < 0.2)
        for kind in rng.sample(("blur", "motion", "glare", "light", "jpeg", "far", "washed"), rng.randint(1, 3)):
            if kind == "blur":
                r = replace(r, blur=r.qr_px / 29 * rng.uniform(0.15, 0.35))
            elif kind == "motion":
                r = replace(r, motion=r.qr_px / 29 * rng.uniform(0.3, 0.8), motion_angle=rng.uniform(-90, 90))
            elif kind == "glare":
                r = replace(r, glare=rng.uniform(120, 220), glare_at=(rng.random(), rng.random()))
            elif kind == "light":
                r = replace(r, gain=rng.uniform(0.15, 0.4), noise=rng.uniform(3, 6))
            elif kind == "jpeg":
                r = replace(r, jpeg=rng.randint(15, 35))
            elif kind == "far":
                r = replace(r, qr_px=rng.uniform(85, 120))
            else:
                r = replace(r, gain=0.4, offset=rng.uniform(120, 150))
        if rng.random() < 0.25:
            r = replace(r, payload=badge_code(rng))
        frames.append(render(r, seed * 1000 + i))
    return frames


def empty_frames(count: int, seed: int = 99) -> list[Frame]:
    """Scenes without a code: clutter only, or the back of a badge."""
    return [render(Recipe(f"empty-{i}", no_code=True, badge=i % 2 == 0, yaw=20, roll=10), seed * 1000 + i)
            for i in range(count)]


def printed_frames(seed: int = 2024) -> list[Frame]:
    """The hard recipes on printed badges, a demo person each (a phone recipe holds up the card instead).
    The printed code is level H (25 modules for a NIP, against 21 on the drawn card): at the same
    distance its modules are about 14 % smaller."""
    from kiosk import demo
    people = list(demo.people(len(HARD)))
    out = []
    for i, r in enumerate(HARD):
        badge = RealBadge.of(people[i])
        recipe = replace(r, name=f"printed-{r.name}")
        out.append(render_card(badge.image, badge.qr_box, badge.payload, recipe, seed + i))
    return out


@dataclass(frozen=True)
class RealBadge:
    """A badge exactly as ``ikrar badges --png`` draws it, at the frames' 10 px/mm."""
    payload: str
    image: Image.Image = field(repr=False)
    qr_box: tuple[int, int, int, int]           # the code without its quiet zone, in the image's pixels

    @classmethod
    def of(cls, person, event: DocEvent | None = None) -> RealBadge:
        """``person``: anyone with a ``nip``, ``name``, ``position`` and ``unit`` (a roster row, a demo person)."""
        from kiosk.documents import badges
        event = event or DocEvent("Apel Ikrar Netralitas ASN", "2024-11-04", agency="Pemerintah Kabupaten Uji",
                                  agency_unit="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
        who = DocPerson(PersonKind.PNS, person.name, nip=person.nip, position=person.position, unit=person.unit)
        dpi = CARD_PX_PER_MM * 25.4
        code = next(op for op in badges.card_ops(event, who) if isinstance(op, badges.Code))
        k = CARD_PX_PER_MM
        box = (round(code.x * k), round(code.y * k), round((code.x + code.size * code.module) * k),
               round((code.y + code.size * code.module) * k))
        return cls(who.badge_payload, badges.card_image(event, who, dpi=round(dpi)), box)


def badge_code(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(rng.choice(alphabet) for _ in range(4)) + "-" + "".join(rng.choice(alphabet) for _ in range(3))


# --- drawing -------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(_FONT, size)
    except OSError:
        return ImageFont.load_default(size)


def render(recipe: Recipe, seed: int) -> Frame:
    """Draw one frame from a recipe."""
    rng = random.Random(seed)
    payload = recipe.payload or make_nip(rng, rng.randrange(999))
    scene = _scene(rng)
    card, qr_box = (_phone if recipe.phone else _card)(payload, rng, recipe.no_code)
    return _film(scene, card, qr_box, payload, recipe, rng)


def render_card(card: Image.Image, qr_box: tuple[int, int, int, int], payload: str, recipe: Recipe,
                seed: int) -> Frame:
    """A given card image (at ``CARD_PX_PER_MM``; ``qr_box`` its code without the quiet zone, in its
    pixels), e.g. a badge as ``ikrar badges`` prints it, held up in a room and spoilt by ``recipe``."""
    rng = random.Random(seed)
    scene = _scene(rng)
    return _film(scene, card.convert("RGBA"), qr_box, payload, replace(recipe, phone=False, no_code=False), rng)


def _film(scene: Image.Image, card: Image.Image, qr_box, payload: str, recipe: Recipe, rng: random.Random) -> Frame:
    if recipe.badge:
        corners = _place(scene, card, qr_box, recipe)
        _hand(scene, corners["card"], rng, recipe.phone)
    else:
        corners = {"qr": np.array([(600, 320), (680, 320), (680, 400), (600, 400)], float)}
    img = _degrade(scene, recipe, corners["qr"], rng)
    return Frame(recipe.name, img, None if recipe.no_code else payload,
                 None if recipe.no_code else tuple(map(tuple, corners["qr"])))


def _scene(rng: random.Random) -> Image.Image:
    """A cluttered hall: wall gradient, posters, a checked pattern, text, a shirt behind the badge."""
    top, bottom = np.array([rng.randint(120, 220) for _ in range(3)]), np.array([rng.randint(60, 140) for _ in range(3)])
    k = np.linspace(0, 1, H)[:, None, None]
    wall = np.broadcast_to(top + (bottom - top) * k, (H, W, 3))
    img = Image.fromarray(wall.astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = rng.randint(-100, W), rng.randint(-100, H)
        w, h = rng.randint(40, 320), rng.randint(30, 260)
        d.rectangle([x, y, x + w, y + h], fill=tuple(rng.randint(0, 255) for _ in range(3)))
    for _ in range(2):           # a checked tablecloth or poster: square edges everywhere
        x0, y0, s = rng.randint(0, W - 200), rng.randint(0, H - 160), rng.randint(8, 20)
        for i in range(10):
            for j in range(8):
                if (i + j) % 2:
                    d.rectangle([x0 + i * s, y0 + j * s, x0 + i * s + s - 1, y0 + j * s + s - 1], fill=(20, 20, 20))
    for _ in range(8):
        x, y = rng.randint(0, W - 200), rng.randint(0, H - 30)
        d.text((x, y), "".join(rng.choice("ABCDEFGHIJKLMNOPRSTU ") for _ in range(rng.randint(6, 18))),
               fill=tuple(rng.randint(0, 255) for _ in range(3)), font=_font(rng.randint(14, 40)))
    for _ in range(10):
        d.line([rng.randint(0, W), rng.randint(0, H), rng.randint(0, W), rng.randint(0, H)],
               fill=tuple(rng.randint(0, 255) for _ in range(3)), width=rng.randint(1, 5))
    shirt = tuple(rng.randint(30, 200) for _ in range(3))
    d.ellipse([W // 2 - 420, H // 2 - 120, W // 2 + 420, H + 500], fill=shirt)
    d.ellipse([W // 2 - 110, -160, W // 2 + 110, 110], fill=_skin(rng))
    return img


@lru_cache(maxsize=1)
def _grid() -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    return yy, xx


@lru_cache(maxsize=1)
def _vignette() -> np.ndarray:
    yy, xx = _grid()
    return (1 - 0.125 * (((xx - W / 2) / (W / 2)) ** 2 + ((yy - H / 2) / (H / 2)) ** 2))[..., None]


def _skin(rng: random.Random) -> tuple[int, int, int]:
    k = rng.uniform(0.55, 1.0)
    return int(225 * k), int(180 * k), int(150 * k)


def _qr_matrix(payload: str) -> list[list[bool]]:
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    q.add_data(payload)
    q.make(fit=True)
    return q.get_matrix()


def _draw_qr(d: ImageDraw.ImageDraw, matrix: list[list[bool]], x0: int, y0: int, m: int, ink) -> None:
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                d.rectangle([x0 + c * m, y0 + r * m, x0 + c * m + m - 1, y0 + r * m + m - 1], fill=ink)


def _card(payload: str, rng: random.Random, no_code: bool) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The badge at 10 px/mm; returns it and the box of the code without its quiet zone."""
    cw, ch = int(CARD_MM[0] * CARD_PX_PER_MM), int(CARD_MM[1] * CARD_PX_PER_MM)
    card = Image.new("RGBA", (cw, ch), (250, 250, 246, 255))
    d = ImageDraw.Draw(card)
    band = tuple(rng.randint(0, 160) for _ in range(3))
    d.rectangle([0, 0, cw, 90], fill=band)
    d.text((30, 22), "PEMERINTAH KABUPATEN CONTOH", fill=(255, 255, 255), font=_font(34))
    matrix = _qr_matrix(payload)
    n, m = len(matrix), QR_MODULE_PX
    x0, y0 = 20, 100
    if not no_code:
        _draw_qr(d, matrix, x0, y0, m, (15, 15, 20))
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    tx = x0 + n * m + 10
    d.text((tx, 150), name, fill=(20, 20, 20), font=_font(40))
    d.text((tx, 215), payload if payload.isdigit() else f"Kode {payload}", fill=(60, 60, 60), font=_font(26))
    d.text((tx, 270), "Apel Ikrar Netralitas ASN", fill=(60, 60, 60), font=_font(24))
    mask = Image.new("L", (cw, ch), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, cw - 1, ch - 1], radius=30, fill=255)
    card.putalpha(mask)
    q = 4 * m
    return card, (x0 + q, y0 + q, x0 + (n - 4) * m, y0 + (n - 4) * m)


def _phone(payload: str, rng: random.Random, no_code: bool) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A phone showing the code: dark body, bezel, a bluish white screen (drawn at the card's scale)."""
    pw, ph = 720, 1480
    phone = Image.new("RGBA", (pw, ph), (0, 0, 0, 0))
    d = ImageDraw.Draw(phone)
    d.rounded_rectangle([0, 0, pw - 1, ph - 1], radius=90, fill=(25, 25, 30, 255))
    screen = (228, 236, 248, 255)
    d.rounded_rectangle([28, 40, pw - 29, ph - 41], radius=60, fill=screen)
    d.rectangle([28, 40, pw - 29, 180], fill=(40, 90, 160, 255))
    d.text((70, 90), "Kartu Apel", fill=(255, 255, 255), font=_font(40))
    matrix = _qr_matrix(payload)
    n = len(matrix)
    m = (pw - 120) // n
    x0, y0 = (pw - n * m) // 2, 360
    if not no_code:
        _draw_qr(d, matrix, x0, y0, m, (20, 22, 30, 255))
    d.text((80, y0 + n * m + 40), payload, fill=(40, 40, 40), font=_font(38))
    q = 4 * m
    return phone, (x0 + q, y0 + q, x0 + (n - 4) * m, y0 + (n - 4) * m)


def _rotation(yaw: float, pitch: float, roll: float) -> np.ndarray:
    a, b, c = (math.radians(v) for v in (yaw, pitch, roll))
    ry = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    rx = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    rz = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    return rz @ rx @ ry


def _homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 3×3 matrix taking the four ``src`` points to ``dst``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    h = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    return np.append(h, 1).reshape(3, 3)


def _place(scene: Image.Image, card: Image.Image, qr_box, r: Recipe) -> dict[str, np.ndarray]:
    """Project the card through a pinhole camera onto the scene (in place); return where it landed."""
    cw, ch = card.size
    qr_w = (qr_box[2] - qr_box[0]) / CARD_PX_PER_MM              # mm
    z = FOCAL * qr_w / r.qr_px
    rot = _rotation(r.yaw, r.pitch, r.roll)
    qcx, qcy = (qr_box[0] + qr_box[2]) / 2, (qr_box[1] + qr_box[3]) / 2

    def project(pts) -> np.ndarray:
        out = []
        for x, y in pts:                         # card px → mm, centred on the code, so the code lands on centre
            p = rot @ np.array([(x - qcx) / CARD_PX_PER_MM, (y - qcy) / CARD_PX_PER_MM, 0.0])
            p[2] += z
            out.append((r.centre[0] + FOCAL * p[0] / p[2], r.centre[1] + FOCAL * p[1] / p[2]))
        return np.array(out)

    card_src = np.array([(0, 0), (cw, 0), (cw, ch), (0, ch)], float)
    card_dst = project(card_src)
    qx0, qy0, qx1, qy1 = qr_box
    qr_dst = project([(qx0, qy0), (qx1, qy0), (qx1, qy1), (qx0, qy1)])
    x0, y0 = np.floor(card_dst.min(axis=0)).astype(int)
    x1, y1 = np.ceil(card_dst.max(axis=0)).astype(int)
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, W), min(y1, H)
    if x1 > x0 and y1 > y0:                                     # warp only the card's box, then paste it
        inv = _homography(card_dst - (x0, y0), card_src)        # PIL maps output → input
        warped = card.transform((x1 - x0, y1 - y0), Image.Transform.PERSPECTIVE,
                                tuple((inv / inv[2, 2]).flatten()[:8]), Image.Resampling.BICUBIC)
        scene.paste(warped, (x0, y0), warped)
    return {"card": card_dst, "qr": qr_dst}


def _hand(scene: Image.Image, card: np.ndarray, rng: random.Random, phone: bool) -> None:
    """Fingers round the right edge (the lower half of a phone), a thumb on the face, away from the code."""
    d = ImageDraw.Draw(scene)
    tl, tr, br = card[0], card[1], card[2]
    skin = _skin(rng)
    size = max(6.0, float(np.linalg.norm(tr - tl)) / (72 if phone else 85.6) * 17)    # a finger is ~17 mm wide
    for k in ((0.58, 0.7, 0.82, 0.94) if phone else (0.2, 0.4, 0.6, 0.8)):
        x, y = tr + (br - tr) * k
        d.ellipse([x - size * 0.2, y - size * 0.45, x + size * 1.4, y + size * 0.45], fill=skin)
    x, y = tr + (br - tr) * (0.85 if phone else 0.55) - (tr - tl) * 0.06
    d.ellipse([x - size * 0.9, y - size * 0.4, x + size * 0.6, y + size * 0.4],
              fill=tuple(max(0, c - 20) for c in skin))


def _degrade(scene: Image.Image, r: Recipe, qr: np.ndarray, rng: random.Random) -> Image.Image:
    nprng = np.random.default_rng(rng.randrange(2**32))
    img = np.asarray(scene, dtype=np.float32)
    if r.phone:
        img = _screen_effects(img, r, qr, nprng)
    if r.glare:
        qx, qy = qr.min(axis=0), qr.max(axis=0)
        gx, gy = qx + (qy - qx) * np.array(r.glare_at)
        rad = max(4.0, (qy[0] - qx[0]) * r.glare_size)
        bx0, by0 = max(0, int(gx - 3 * rad)), max(0, int(gy - 3 * rad))
        bx1, by1 = min(W, int(gx + 3 * rad) + 1), min(H, int(gy + 3 * rad) + 1)
        if bx1 > bx0 and by1 > by0:                  # a flat-topped glint, computed only where it shows
            yy, xx = np.mgrid[by0:by1, bx0:bx1].astype(np.float32)
            blob = np.exp(-(((xx - gx) / rad) ** 2 + ((yy - gy) / (rad * 0.7)) ** 2) ** 2)
            img[by0:by1, bx0:bx1] += r.glare * blob[..., None]
    if r.motion:
        img = _motion_blur(img, r.motion, r.motion_angle)
    pil = Image.fromarray(img.clip(0, 255).astype(np.uint8))
    if r.blur:
        pil = pil.filter(ImageFilter.GaussianBlur(r.blur))
    img = np.asarray(pil, dtype=np.float32)
    img = img * (_vignette() * np.float32(r.gain))
    grain = nprng.standard_normal((H, W, 1), dtype=np.float32) * np.float32(r.noise) + np.float32(r.offset)
    img += grain                                   # sensor noise (luminance; chroma noise is lost in grey)
    pil = Image.fromarray(img.clip(0, 255).astype(np.uint8))
    buf = io.BytesIO()
    pil.save(buf, "JPEG", quality=r.jpeg)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def _screen_effects(img: np.ndarray, r: Recipe, qr: np.ndarray, nprng) -> np.ndarray:
    """A phone screen seen by a camera: a beat pattern between pixel grids and a wide reflection."""
    yy, xx = _grid()
    c = qr.mean(axis=0)
    reach = float(np.linalg.norm(qr[2] - qr[0])) * 1.2
    near = np.exp(-((xx - c[0]) ** 2 + (yy - c[1]) ** 2) / (2 * reach ** 2))
    if r.moire:
        period = 2.2 + nprng.uniform(0, 0.4)
        ang = nprng.uniform(0, math.pi)
        wave = np.cos((xx * math.cos(ang) + yy * math.sin(ang)) * 2 * math.pi / period)
        beat = np.cos((xx * math.cos(ang + 0.3) + yy * math.sin(ang + 0.3)) * 2 * math.pi / (period * 14))
        img = img * (1 - r.moire * near * (0.5 + 0.5 * wave * beat))[..., None]
    band = np.exp(-(((xx - c[0]) * 0.6 + (yy - c[1]) * 0.8 + reach * 0.3) / (reach * 0.5)) ** 2)
    return img + 70 * (band * near)[..., None]


def _motion_blur(img: np.ndarray, length: float, angle: float) -> np.ndarray:
    steps = max(2, round(length))
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    out = np.zeros_like(img)
    for i in range(steps):
        t = (i / (steps - 1) - 0.5) * length
        out += np.roll(img, (round(t * dy), round(t * dx)), axis=(0, 1))
    return out / steps
