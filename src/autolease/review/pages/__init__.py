"""The reviewer's workbench in the staff console (`/console/review/`): a surface on the web
foundation (docs/web.md) over the review domain's use cases."""
