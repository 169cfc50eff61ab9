"""The pieces of the scale benchmark (`bench.fleet_scale`, issue 17): the services it generates,
the throwaway clone it works in, Pants' verdicts, and the deployment checks."""
