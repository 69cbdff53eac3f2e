"""hakusho: Defense White Paper extraction pipeline."""
