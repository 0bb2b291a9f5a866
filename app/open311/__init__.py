"""Open311 GeoReport v2 under /open311/v2/, served from the feedback records.

Apps and portals that speak the open standard list the feedback categories
as services, file feedback as service requests through the `open311`
channel, and follow what became of them. The package only translates: the
rules stay in `app.feedback.services`.

- `protocol`: the two formats (JSON and XML) and the error lists.
- `mapping`: GeoReport parameters to a feedback intake, records to answers.
- `queries`: the reads that the feedback services do not offer.
- `views`: the blueprint.
"""
