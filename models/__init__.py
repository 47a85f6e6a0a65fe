"""Persistence: the ORM tables, the repositories (every query) and the migrations.

Importing the package registers every table module with the metadata, so Alembic and the
mappers see the whole schema whichever table module a caller imports first. A new table
module is added to this list (not imported from ``models.tables``, which would make a cycle).
"""

import models.tables
import models.tables_audit
import models.tables_auth
import models.tables_bulk
import models.tables_export
import models.tables_reports
import models.tables_risk
import models.tables_season
import models.tables_selfcare  # noqa: F401
