"""APScheduler wiring and the jobs: evening rounds, reminders, checks, outbox."""
