import autolease


def test_top_level_public_surface_is_exact() -> None:
    assert autolease.__all__ == ["__version__"]
    assert autolease.__version__ == "0.1.0"
