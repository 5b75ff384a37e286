"""Monthly circulars (通报): generating the frozen snapshot, publishing it, and its Excel workbook."""
