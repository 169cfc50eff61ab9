"""The users service: accounts, login, tokens and the fleet's signing keys."""
