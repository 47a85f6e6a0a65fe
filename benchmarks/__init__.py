"""Speed targets of each issue, measured against a baseline in the same run (`make bench`)."""
