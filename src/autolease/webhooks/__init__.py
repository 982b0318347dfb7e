"""Webhooks: SPs' endpoints, the transactional outbox of application status changes, signed
delivery with retries, the delivery log and redelivery (docs/webhooks.md)."""
