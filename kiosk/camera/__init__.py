"""Badge scanning with a webcam: decode QR codes from frames, and report each badge once.

    decoder = FrameDecoder()                       # one per worker thread
    seen = SeenFilter()
    result = decoder.decode(RawFrame(y_plane, width, height, stride))   # or a PIL image
    for payload in seen.feed(result.text if result else None):
        ...                                        # a new badge: check it in

or, with frames arriving faster than they decode, on a thread of its own that takes the newest:

    reader = BadgeReader(on_badge=lambda payload, result: ...)
    reader.start(); reader.offer(raw_frame); ...; reader.stop()
"""
from kiosk.camera.decode import DEFAULT_LADDER, DecodeResult, FrameDecoder, Strategy
from kiosk.camera.dedupe import SeenFilter
from kiosk.camera.files import decode_image_files
from kiosk.camera.frame import Frame, PixelFormat, RawFrame
from kiosk.camera.reader import BadgeReader, FrameMailbox, ReaderStats

__all__ = ["DEFAULT_LADDER", "BadgeReader", "DecodeResult", "Frame", "FrameDecoder", "FrameMailbox", "PixelFormat",
           "RawFrame", "ReaderStats", "SeenFilter", "Strategy", "decode_image_files"]
