"""Developer tools kept apart from the build: benchmark, Lighthouse, synthetic listings, test harness pieces."""
