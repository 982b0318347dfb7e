"""autolease: origination and risk control for used-car financial leasing."""

__version__ = "0.1.0"
__all__ = ["__version__"]
