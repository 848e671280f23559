"""Video files that stand in for a webcam: synthetic degraded badge frames (tests/camera_frames.py)
written with OpenCV's ``VideoWriter`` as MPEG-4 Part 2 (``mp4v``) in an .mp4, which Qt Multimedia's
FFmpeg backend plays.  Generated in the test's folder, never committed.

    scene = [Shot.empty(seed=1, seconds=0.6), Shot.badge(nip, seed=2, seconds=1.5), ...]
    scene += [Shot.card(RealBadge.of(person), seed=3, seconds=1.2)]    # a badge as ikrar badges prints it
    path = write_video(tmp_path / "queue.mp4", scene, fps=15)
    timeline(scene, fps)       # when each shot starts (s): what the test expects to be read when
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import camera_frames as cf
import cv2
import numpy as np
from camera_frames import RealBadge
from PIL import Image

# Views of one badge held up: the same hand and room, a little sway, blur and motion from view to view.
_SWAY = ((0, 0, 1.0, 0), (14, -6, 1.4, 4), (-10, 8, 1.8, 6), (6, 10, 1.2, 2))


@dataclass(frozen=True)
class Shot:
    """``seconds`` of one scene: a badge held in view (``payload``) or the queue without one."""
    payload: str | None
    seconds: float
    views: tuple[Image.Image, ...] = field(repr=False)

    @classmethod
    def badge(cls, payload: str, seed: int, seconds: float, *, qr_px: float = 190, yaw: float = 15,
              jpeg: int = 60) -> Shot:
        views = []
        for dx, dy, blur, motion in _SWAY:
            r = cf.Recipe(f"badge-{seed}", qr_px=qr_px, centre=(640 + dx, 370 + dy), yaw=yaw + dx / 2, roll=dy / 2,
                          blur=blur, motion=motion, motion_angle=20, jpeg=jpeg, payload=payload)
            views.append(cf.render(r, seed).image)
        return cls(payload, seconds, tuple(views))

    @classmethod
    def card(cls, badge: RealBadge, seed: int, seconds: float, *, qr_px: float = 190, yaw: float = 15,
             jpeg: int = 60) -> Shot:
        """A printed badge (``ikrar badges``' own card) held up, swaying as in :meth:`badge`."""
        views = []
        for dx, dy, blur, motion in _SWAY:
            r = cf.Recipe(f"card-{seed}", qr_px=qr_px, centre=(640 + dx, 370 + dy), yaw=yaw + dx / 2, roll=dy / 2,
                          blur=blur, motion=motion, motion_angle=20, jpeg=jpeg)
            views.append(cf.render_card(badge.image, badge.qr_box, badge.payload, r, seed).image)
        return cls(badge.payload, seconds, tuple(views))

    @classmethod
    def empty(cls, seed: int, seconds: float) -> Shot:
        r = cf.Recipe(f"empty-{seed}", no_code=True, badge=False)
        return cls(None, seconds, (cf.render(r, seed).image,))


def write_video(path: Path, shots: list[Shot], fps: int = 15) -> Path:
    """Write the shots one after another (each cycling its views), 1280×720 mp4v."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (cf.W, cf.H))
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write {path}")
    try:
        for shot in shots:
            frames = [cv2.cvtColor(np.asarray(v.convert("RGB")), cv2.COLOR_RGB2BGR) for v in shot.views]
            for i in range(round(shot.seconds * fps)):
                writer.write(frames[i % len(frames)])
    finally:
        writer.release()
    return path


def timeline(shots: list[Shot]) -> list[tuple[float, float, str | None]]:
    """(start s, end s, payload) of each shot."""
    out, at = [], 0.0
    for shot in shots:
        out.append((at, at + shot.seconds, shot.payload))
        at += shot.seconds
    return out
