"""Trust: the device key and the devices a database trusts, the admin PIN, and files for their
owner alone."""
