"""The SP's H5 pages: the mobile application flow, applicant links and the SP's portal."""
