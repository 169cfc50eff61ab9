# syntax=docker/dockerfile:1
# One image recipe for every service: they differ only in which pex they run. Build a service's
# image from the repo root, after `./pants package services/<name>:pex`:
#
#   docker build --build-arg SERVICE=users --target prod -t fleet/users .
#
# Stages: `install` turns the pex into a plain virtualenv once, at build time (so the running
# container never writes to its filesystem); `prod` is that venv on a slim Python, non-root,
# read-only friendly; `dev` adds the tools to look inside a running fleet.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS base
ARG SERVICE
# MALLOC_ARENA_MAX: glibc's malloc otherwise gives each new thread an arena of its own (up to
# 8 per core), and the worker threads database sessions run in come and go: tasks grew 5 MB in
# ten idle minutes that way, 2 MB with two (docs/performance.md, "Memory at idle").
ENV PEX_ROOT=/opt/fleet/pex-root \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2 \
    FLEET_SERVICE=${SERVICE}
# uid/gid 10001: what the Helm chart's securityContext runs as (runAsUser, fsGroup).
RUN groupadd --system --gid 10001 fleet \
    && useradd --system --uid 10001 --gid fleet --no-create-home --home-dir /nonexistent fleet \
    && install -d -o fleet -g fleet /var/lib/fleet/keys
# /var/lib/fleet/keys: users' generated signing keys where no key comes from a secret (compose
# mounts a volume there, which starts owned by the fleet user).
WORKDIR /srv

FROM base AS install
ARG SERVICE
# The pex `./pants package` built from the project's lockfile (linux x86_64, CPython 3.11).
COPY dist/services.${SERVICE}/pex.pex /opt/fleet/service.pex
# The pex's own `venv` tool makes the virtualenv the image runs: a pex file, even with its venv
# pre-built under PEX_ROOT, wants PEX_ROOT writable at every start and otherwise unpacks itself
# into /tmp (200 MB; the chart's /tmp holds 64 MiB). --compile: the venv's python runs with -sE
# (PYTHONDONTWRITEBYTECODE does not reach it); with every .pyc in place nothing is written at run
# time. e2e/tests/test_manifests_boot.py boots this layout read-only.
RUN test -n "${SERVICE}" \
    && PEX_TOOLS=1 /opt/fleet/service.pex venv --compile /opt/fleet/venv \
    && chmod -R a+rX,go-w /opt/fleet/venv

FROM base AS prod
COPY --from=install /opt/fleet/venv /opt/fleet/venv
USER 10001:10001
# `serve` by default; `migrate` (the Helm chart's migration Job), `shell` and the service's own
# commands are arguments to the same entrypoint.
ENTRYPOINT ["/opt/fleet/venv/pex"]
CMD ["serve"]

FROM install AS dev
ARG SERVICE
# code-server 4.89.1 is the last release for Node 18, the Node of the base image's Debian
# (bookworm); the later ones need Node 20 or newer, which Debian does not ship there.
ARG CODE_SERVER_VERSION=4.89.1
ARG DEBUGPY_VERSION=1.8.22
# What this stage adds to `install`, by package name: tools/fleet/tests/test_dev_image.py fails
# when one is not installed by a RUN step below.
LABEL org.fleet.dev-tools="curl procps mosquitto-clients postgresql-client git code-server debugpy"
# curl and the clients of the fleet's servers, to poke at a running fleet from inside; git; and
# code-server (VS Code in a browser, docker-compose.yml's profile `dev`, port 8443) from the npm
# registry with Debian's Node. Its native modules build here from source, with Debian's node-gyp
# and headers: build-from-source keeps argon2 and kerberos from fetching prebuilt binaries, and
# Debian's ripgrep, put where @vscode/ripgrep 1.15.9 (pinned by code-server's shrinkwrap) keeps
# its download, keeps it from fetching its own. Nothing comes from outside Debian, npm and PyPI.
# debugpy goes into the service's venv, which has no pip of its own (`pip --python`).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        curl=7.* procps=2:4.* mosquitto-clients=2.* postgresql-client=15* git=1:2.39.* \
        nodejs=18.* npm=9.* build-essential=12.* pkg-config=1.8.* libkrb5-dev=1.20.* \
        ripgrep=13.* \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir /tmp/vscode-ripgrep-cache-1.15.9 \
    && tar -czf /tmp/vscode-ripgrep-cache-1.15.9/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz \
        -C /usr/bin rg \
    && npm_config_build_from_source=true \
        npm install --global --unsafe-perm "code-server@${CODE_SERVER_VERSION}" \
    && npm cache clean --force \
    && rm -rf /tmp/vscode-ripgrep-cache-1.15.9 \
    && pip install --no-cache-dir --python /opt/fleet/venv/bin/python "debugpy==${DEBUGPY_VERSION}" \
    && site=/opt/fleet/venv/lib/python3.11/site-packages \
    && chown -R fleet:fleet "$site/${SERVICE}" "$site/chassis" "$site/contracts" \
    && install -d -o fleet -g fleet /home/fleet
# The fleet user owns its sources in the venv: `docker compose watch` (docker-compose.dev.yml)
# copies saved files over them. code-server keeps its settings and password under $HOME.
ENV HOME=/home/fleet
USER 10001:10001
ENTRYPOINT ["/opt/fleet/venv/pex"]
CMD ["serve"]
