"""The ceremony itself: the pledge and its text hash, signatures (record, codec, ink) and the wedge
scanner's timing."""
