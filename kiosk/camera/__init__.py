"""Badge scanning with a webcam: decode QR codes from frames, and report each badge once.

    decoder = FrameDecoder()                       # one per worker thread
    seen = SeenFilter()
    result = decoder.decode(RawFrame(y_plane, width, height, stride))   # or a PIL image
    for payload in seen.feed(result.text if result else None):
        ...                                        # a new badge: check it in
"""
from kiosk.camera.decode import DEFAULT_LADDER, DecodeResult, FrameDecoder, Strategy
from kiosk.camera.dedupe import SeenFilter
from kiosk.camera.files import decode_image_files
from kiosk.camera.frame import Frame, PixelFormat, RawFrame

__all__ = ["DEFAULT_LADDER", "DecodeResult", "Frame", "FrameDecoder", "PixelFormat", "RawFrame", "SeenFilter",
           "Strategy", "decode_image_files"]
