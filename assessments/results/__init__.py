"""One home for an assessment's results: who sees which, live and published.

- `access`: the one rule of who sees what (`results_for`): consultants the live figures,
  client managers the latest publication, nobody else anything;
- `live`: the consultant's live figures, scored once per change of what they rest on and
  kept in `LiveFigures`;
- `publication`: publishing an immutable snapshot, and whether one may be published now;
- `benchmark`: other organisations' figures to compare with;
- `headlines`: the few figures the lists show of many assessments at once.

The scoring itself is pure (`assessments.scoring`); `assessments.loading` reads its inputs.
`reports` only presents and exports what this package hands it.
"""
