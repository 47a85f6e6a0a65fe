"""Every query of the service lives in one of these modules."""
