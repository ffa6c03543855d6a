"""A local stand-in for the UCDP and ACLED APIs: replays recorded events with fault injection."""
