"""The query planner's parts; ``router.planner`` is the entry point."""
