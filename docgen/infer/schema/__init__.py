"""JSON Schema inference with evidence: a genson `SchemaBuilder` with our own strategies,
one module per kind as genson arranges its own (objects, arrays, scalars, deep values).

What the strategies add to plain genson (registered through `EXTRA_STRATEGIES`):

* objects count how many parent objects had each property; every property schema carries
  `"x-wsdoc-seen": "37/40"`, and `required` lists the ones present in every sample. An
  object with more than `max_properties` distinct keys (a map keyed by ids) folds the rest
  into `additionalProperties`.
* strings get a `format` only when every sample matched it, and an `enum` only with
  enough evidence; properties that name an identity never get an enum.
* strings and numbers keep a few distinct `examples`; integer vs number comes from genson.
* `null` beside one other type becomes `"type": ["string", "null"]` (nullable), not anyOf.
* containers nested deeper than `max_depth` are summarised as `{}` with a description.

genson's private fields are touched only in `genson_api`.
"""
