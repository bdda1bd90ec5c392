"""Scale benchmarks (not part of the test suite): each writes a report under reports/ with its command."""
