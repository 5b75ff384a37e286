"""Read queries of the reporting pages, one module per page."""
