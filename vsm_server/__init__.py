"""The reference sync server for VSM Desktop: one local authority's central log of PEP changes,
device enrolment with signing certificates, and the versioned HTTP JSON API (`/v1/…`)."""

__version__ = "0.1.0"
