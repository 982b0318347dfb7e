"""The reviewer's workbench: the queue of referred applications, claims, verdicts with
four-eyes confirmation, information requests, the case file and the queue's figures."""
