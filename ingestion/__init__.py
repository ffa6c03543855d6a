"""Source connectors: each module reads or fetches one source and lands it in `raw` as received."""
