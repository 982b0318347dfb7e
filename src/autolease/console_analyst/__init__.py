"""The risk analyst's console pages: policies (versions, diff, cases, maker-checker
activation), backtests, the model registry and fraud rings."""
