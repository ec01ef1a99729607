"""Living with findings: waivers (accepted risks), baselines (known findings) and the stable
finding keys both are matched by."""
