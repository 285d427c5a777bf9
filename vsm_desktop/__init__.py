"""VSM Desktop: offline-first electronic Personal Education Plans for children looked after in Wales."""

__version__ = "0.1.0"
APP_NAME = "VSM Desktop"
