"""The FHIR R4 facade under ``/fhir``: read and search, CapabilityStatement, Bulk Data export."""
