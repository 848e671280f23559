"""Camera badge scanning on the kiosk (Qt Multimedia → QVideoSink → the core's decoder, off the GUI thread).

:mod:`~ui.kiosk.camera.scanner` joins the parts: :mod:`~ui.kiosk.camera.source` (a camera or a video
file, its state), :mod:`~ui.kiosk.camera.convert` (frames as the decoder takes them),
:mod:`~ui.kiosk.camera.preview` (the live picture on the idle page), :mod:`~ui.kiosk.camera.devices`
(which camera, remembered) and :mod:`~ui.kiosk.camera.choice` (the staff's dialog).
"""
