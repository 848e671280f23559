"""Who attends: NIP and NIK rules, badge codes, person kinds and absence reasons, what a scanner
delivers, and roster files read into validated rows."""
