"""Taking attendance on top of the store: from a scanned payload to a recorded (or refused) check-in,
walk-ins added at the desk, and the date and clock warnings a kiosk shows."""
