"""The coordinator's work over the whole store: quality assurance of finalised reviews, each
user's reminders, and importing a cohort from CSV. No Qt here."""
