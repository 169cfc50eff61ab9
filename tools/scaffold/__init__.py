"""Scaffold: the files derived from the services' descriptors, and new services.

`./fleet generate` writes every derived file (artifacts.py); `./fleet new NAME` lays out a new
service in the one shape and then generates. A freshness test fails, naming the command, when a
committed file no longer matches what the descriptors derive.
"""
