"""One module per API resource. Each module has a `router` (its list and detail endpoints) and,
where the data is offered as a download, a `dataset` (api/downloads.py). A new resource — indicator
values, the cell register — is one more module here and one line in RESOURCES."""

from . import (
    articles,
    cases,
    cells,
    cities,
    indicator_values,
    standards,
    taxonomy,
    technologies,
)

RESOURCES = [
    cases,
    technologies,
    standards,
    cities,
    articles,
    taxonomy,
    indicator_values,
    cells,
]
