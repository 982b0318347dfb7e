from autolease.exceptions import BusinessRuleViolation, InputInvalid


class VinInvalid(InputInvalid):
    code = "vin_invalid"


class ValuationModelUnavailable(BusinessRuleViolation):
    code = "valuation_model_unavailable"
