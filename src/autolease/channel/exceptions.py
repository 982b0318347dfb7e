from __future__ import annotations

from autolease.exceptions import BusinessRuleViolation, Conflict, FieldError, InputInvalid, NotFound


class StatusChangeRefused(Conflict):
    code = "sp_status_change_refused"


class DepositOverdrawn(BusinessRuleViolation):
    code = "sp_deposit_overdrawn"


class DueDiligenceInvalid(InputInvalid):
    code = "sp_due_diligence_invalid"

    @classmethod
    def on(cls, field: str, rule: str, en: str, zh: str) -> DueDiligenceInvalid:
        return cls(en, errors=[FieldError(field, rule, en, zh)])


class ContractNotOfSp(BusinessRuleViolation):
    code = "sp_contract_mismatch"


class GradeProposalNotFound(NotFound):
    code = "sp_grade_proposal_not_found"


class GradeProposalDecided(Conflict):
    code = "sp_grade_proposal_decided"


class GradeRunConflict(Conflict):
    """Another grade run for the same month stored its proposals first (run it again)."""

    code = "sp_grade_run_conflict"


class GradePolicyInvalid(ValueError):
    """The grade policy file or its cases are not usable (a policy bug, not bad input)."""


class PartnerNotFound(NotFound):
    code = "partner_not_found"


class PartnerExists(Conflict):
    code = "partner_exists"


class PartnerInvalid(InputInvalid):
    code = "partner_invalid"

    @classmethod
    def on(cls, field: str, rule: str, en: str, zh: str) -> PartnerInvalid:
        return cls(en, errors=[FieldError(field, rule, en, zh)])


class PayoutExceedsFees(BusinessRuleViolation):
    code = "partner_payout_exceeds_fees"


class StaffPhoneExists(Conflict):
    code = "sp_staff_phone_exists"
