"""The reports' pages, by family: `clients` (where people land, the portfolio, an
organisation over time), `results` (one assessment's dashboard and comments) and
`downloads` (its PDF, spreadsheet, Word and PowerPoint files)."""
