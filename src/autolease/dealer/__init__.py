"""SPs: the offline service providers (dealers, agents) that bring in applications."""
