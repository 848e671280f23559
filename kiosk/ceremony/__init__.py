"""The ceremony itself: the pledge and its text hash, signatures (record, codec, ink), the wedge
scanner's timing, and the check-in from a scanned payload to a recorded row."""
