"""The console's look: one style sheet, sizes scaled to the window (1366×768 is 1.0)."""
from __future__ import annotations


def console_stylesheet(u: float) -> str:
    def px(n: float) -> int:
        return max(9, round(n * u))
    return f"""
        #console {{ background: #eef2f7; }}
        QLabel, QCheckBox, QComboBox, QPushButton, QListWidget, QTabBar {{ font-size: {px(14)}px; }}
        QTabBar::tab {{ padding: {px(6)}px {px(16)}px; }}
        #eventLabel {{ font-size: {px(18)}px; font-weight: bold; color: #0e2a4a; }}
        #countLabel {{ font-size: {px(26)}px; font-weight: bold; color: #1b7a35; }}
        #caption, #liveCaption {{ font-size: {px(13)}px; font-weight: bold; color: #4a5d78;
                                  letter-spacing: 1px; }}
        #liveCaption {{ color: #c62828; }}
        #blankNotice {{ font-size: {px(13)}px; font-weight: bold; color: white; background: #111;
                        padding: 2px 8px; border-radius: 4px; }}
        #hint {{ font-size: {px(12)}px; color: #4a5d78; }}
        #position {{ font-size: {px(13)}px; font-weight: bold; color: #0e2a4a; }}
        #screenStatus {{ font-size: {px(13)}px; color: #1f3a5c; }}
        #screenStatus[warning="true"] {{ color: #9a3b00; font-weight: bold; background: #fff1d6;
                                         border: 1px solid #e0a040; border-radius: 4px; padding: 4px; }}
        QListWidget {{ background: white; border: 1px solid #c8d2de; border-radius: 4px; }}
        QListWidget::item {{ padding: {px(5)}px 6px; }}
        QListWidget::item:selected {{ background: #c62828; color: white; }}
        #recentList {{ font-size: {px(14)}px; }}
        QPushButton {{ min-height: {px(40)}px; padding: 4px 12px; border-radius: 6px;
                       background: #dfe6ef; color: #0e2a4a; border: 1px solid #b9c6d6; }}
        #nextButton {{ background: #0e4a8a; color: white; font-weight: bold; border: none; }}
        #logoButton {{ min-height: {px(28)}px; }}
        QLineEdit, QPlainTextEdit, QSpinBox, QComboBox {{ font-size: {px(14)}px; }}
        QLineEdit, QSpinBox {{ min-height: {px(28)}px; max-height: {px(28)}px; padding: 2px 4px; }}
        QTableWidget, QHeaderView::section {{ font-size: {px(13)}px; }}
        #versions {{ font-family: "Consolas", "DejaVu Sans Mono", monospace; }}
        #editor #caption {{ margin-top: {px(4)}px; }}
        #formLabel {{ min-height: {px(28) + 10}px; }}
        QCheckBox::indicator {{ width: {px(15)}px; height: {px(15)}px; }}
        #editor #hint {{ font-size: {px(12)}px; }}
        #saveButton {{ background: #1b7a35; color: white; font-weight: bold; border: none; padding: 4px 20px; }}
        #saveButton:disabled {{ background: #b9c6d6; color: #eef2f7; }}
        #status[error="true"] {{ color: #b3191c; font-weight: bold; }}
        #shaCurrent {{ font-weight: bold; color: #0e2a4a; }}
        #blankButton:checked {{ background: #111; color: white; }}
        #warningBanner {{ font-size: {px(15)}px; font-weight: bold; color: #5c3a00; background: #ffd77a;
                          border: 1px solid #e0a040; border-radius: 4px; padding: 6px 10px; }}
        #incompleteCaption {{ font-size: {px(13)}px; font-weight: bold; color: #9a5b00; letter-spacing: 1px; }}
        #incompleteList {{ font-size: {px(14)}px; border: 1px solid #e0a040; }}
    """
