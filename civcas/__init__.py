"""civcas operational code: the read-only query guard and publishing safeguards."""
