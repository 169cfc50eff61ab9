-- One database per service (never shared tables); each service migrates its own.
CREATE DATABASE users;
CREATE DATABASE tasks;
CREATE DATABASE devices;
