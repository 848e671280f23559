"""The kiosk's look: one style sheet, every size scaled to the window (1366×768 is 1.0)."""
from __future__ import annotations


def scale(width: int, height: int) -> float:
    return max(0.6, min(width / 1366, height / 768))


def stylesheet(u: float) -> str:
    def px(n: float) -> int:
        return max(10, round(n * u))
    return f"""
        #kiosk, #idlePage, #signPage {{ background: #0e2a4a; }}
        QLabel {{ color: white; }}
        #eventTitle {{ font-size: {px(34)}px; font-weight: bold; }}
        #eventMeta {{ font-size: {px(22)}px; color: #b9c8dc; }}
        #scanPrompt {{ font-size: {px(58)}px; font-weight: bold; }}
        #scanHint {{ font-size: {px(26)}px; color: #b9c8dc; }}
        #cameraNote {{ font-size: {px(18)}px; color: #ffd98a; padding-top: {px(10)}px; }}
        #count {{ font-size: {px(26)}px; color: #d8e6f7; }}
        #privacy {{ font-size: {px(15)}px; color: #9fb3cc; }}
        #staffNotice {{ font-size: {px(17)}px; color: #ffd98a; }}
        #staffButton {{ font-size: {px(16)}px; color: #9fb3cc; background: transparent;
                        border: 1px solid #35557a; border-radius: {px(8)}px;
                        min-height: {px(48)}px; min-width: {px(120)}px; }}
        #personCard, #pledgeBox {{ background: #16365c; border-radius: {px(12)}px; }}
        #signTitle {{ font-size: {px(22)}px; color: #b9c8dc; }}
        #personName {{ font-size: {px(32)}px; font-weight: bold; }}
        #personNip {{ font-size: {px(22)}px; font-family: "DejaVu Sans Mono", monospace; color: #d8e6f7;
                      padding-right: {px(18)}px; }}
        #personJob {{ font-size: {px(20)}px; color: #d8e6f7; }}
        #statement {{ font-size: {px(16)}px; color: #b9c8dc; }}
        #warningBanner {{ font-size: {px(19)}px; font-weight: bold; color: #2b1d00; background: #ffc24a;
                          border-radius: {px(8)}px; padding: {px(8)}px {px(14)}px; }}
        #countdown {{ font-size: {px(21)}px; font-weight: bold; color: #2b1d00; background: #ffc24a;
                      border-radius: {px(8)}px; padding: {px(3)}px {px(14)}px; }}
        #pad {{ border-radius: {px(8)}px; }}
        QScrollBar:vertical {{ background: transparent; width: {px(10)}px; margin: 0; }}
        QScrollBar::handle:vertical {{ background: #5d7390; border-radius: {px(5)}px; min-height: {px(40)}px; }}
        QScrollBar::add-line, QScrollBar::sub-line, QScrollBar::add-page, QScrollBar::sub-page
            {{ background: none; height: 0; }}
        #signError {{ font-size: {px(19)}px; color: white; font-weight: bold; background: #b3191c;
                      border-radius: {px(8)}px; padding: {px(3)}px {px(12)}px; }}
        #padOverlay {{ background: transparent; }}
        QPushButton {{ font-size: {px(26)}px; min-height: {px(72)}px; border-radius: {px(10)}px;
                       background: #e3e9f2; color: #0e2a4a; }}
        QPushButton:disabled {{ background: #5d7390; color: #9fb3cc; }}
        #confirmButton {{ background: #23a04a; color: white; font-weight: bold; }}
        #confirmButton:disabled {{ background: #3d6b4d; color: #9fc7aa; }}
        #resultGlyph {{ font-size: {px(150)}px; font-weight: bold; }}
        #resultTitle {{ font-size: {px(60)}px; font-weight: bold; }}
        #resultName {{ font-size: {px(44)}px; }}
        #resultDetail {{ font-size: {px(28)}px; }}
    """


def fit(window, glyph) -> None:
    """The style sheet scaled to ``window``'s size (a QWidget), and the idle page's QR glyph with it."""
    u = scale(window.width(), window.height())
    glyph.setFixedHeight(round(130 * u))
    window.setStyleSheet(stylesheet(u))
