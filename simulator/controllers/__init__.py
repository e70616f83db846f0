"""Controllers: they turn desired state into pods, addresses and Endpoints."""
