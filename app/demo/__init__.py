"""Demonstration helplines: `samvaad demo` (simulated calls), `samvaad seed-demo` (an association to try the
API with) and the one builder they and the end-to-end test fixtures make associations with. May import
anything of ours (it is part of `app`)."""
