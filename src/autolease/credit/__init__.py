"""Credit risk: declared features, points scorecards, gradient-boosting PD, the credit stage.

Pure modules: `features`, `book`, `tabular`, `metrics`, `calibration`, `scaling`,
`scorecard`, `gbm`, `model`, `training`, `report`, `stage`, `settings`. Files and the model
registry: `service`; command line: `cli`. See docs/credit.md.
"""
