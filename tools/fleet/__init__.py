"""The fleet runner: the whole fleet on this machine, as processes, in one command."""
