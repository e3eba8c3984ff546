"""The read-only JSON API for the consultancy's own tools, under /api/v1/.

Every endpoint fetches through the pages' gates (`accounts.access.organisation_access`,
`assessments.access.get_assessment`) and shows results chosen by
`assessments.results.access`: a token reads exactly what its user may read on the pages.
"""
