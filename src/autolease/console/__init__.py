"""The staff console at `/console/`: the reviewer's, the analyst's and the admin's pages
(server-rendered on `autolease.web`; docs/web.md)."""
