"""Running the platform on one machine: embedded PostgreSQL and broker, child processes."""
