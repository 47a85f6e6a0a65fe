"""One error hierarchy for the whole service, rendered once as RFC 9457 problem+json.

Messages never carry plaintext identifiers or clinical values: they may reach logs and clients
that are not allowed to see them.
"""

from __future__ import annotations


class HealthError(Exception):
    """Base of every error a service raises on purpose; the API maps ``status`` to HTTP."""

    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class Invalid(HealthError):
    status = 400
    code = "invalid"
    title = "Invalid request"


class Unauthorized(HealthError):
    status = 401
    code = "unauthorized"
    title = "Authentication required"


class Forbidden(HealthError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class NotFound(HealthError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(HealthError):
    status = 409
    code = "conflict"
    title = "Conflict"


class PreconditionFailed(HealthError):
    status = 412
    code = "precondition_failed"
    title = "Precondition failed"


class PreconditionRequired(HealthError):
    status = 428
    code = "precondition_required"
    title = "Precondition required"


class Unavailable(HealthError):
    status = 503
    code = "unavailable"
    title = "Service unavailable"


class CryptoError(HealthError):
    """A sealed value or wrapped key could not be opened: tampered, moved, or wrong key."""

    status = 500
    code = "crypto_error"
    title = "Sealed data could not be opened"


class KeyringError(CryptoError):
    """The keyring is missing, unreadable, or does not match the database."""

    code = "keyring_error"
    title = "Keyring problem"
