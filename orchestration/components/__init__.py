"""Component classes, one per kind of source; each source instantiates one in its
`orchestration/defs/sources/<source>/defs.yaml`."""
