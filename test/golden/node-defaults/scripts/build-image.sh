#!/bin/sh
# Builds and pushes the my-svc image with provenance labels taken from git (P01, D14).
# Usage: scripts/build-image.sh <registry/repository>   e.g. scripts/build-image.sh ghcr.io/acme/my-svc
# Prints the pushed digest: deploy by digest (image@sha256:...), never by a movable tag.
set -eu

if [ "$#" -ne 1 ]; then
  echo "usage: $0 <registry/repository>" >&2
  exit 2
fi
repository=$1

cd "$(dirname "$0")/.."

# P01: build only what is committed, so the image matches its revision label.
if [ -n "$(git status --porcelain)" ]; then
  echo "error: the working tree has uncommitted changes; commit or stash them, then build again" >&2
  exit 1
fi

revision=$(git rev-parse HEAD)
version=$(git describe --tags --always --dirty)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
source_url=$(git config --get remote.origin.url || echo unknown)

# P01: tag with the exact version, never "latest".
tag="${repository}:${version}"

docker build \
  --build-arg "CREATED=${created}" \
  --build-arg "REVISION=${revision}" \
  --build-arg "VERSION=${version}" \
  --build-arg "SOURCE_URL=${source_url}" \
  --tag "${tag}" \
  .

docker push "${tag}"

# P01: print the digest the registry gave the image, to deploy by digest.
digest=$(docker inspect --format '{{index .RepoDigests 0}}' "${tag}")
echo "pushed ${tag}"
echo "deploy by digest: ${digest}"
