/**
 * Every pinned version the generator writes, in one table (RULES D01, C08): a person or a bot
 * upgrades an image by changing one line here. Tags are exact versions, never `latest`.
 *
 * Per language and major version: `build` is the toolchain image of the builder stage (by final
 * base family, because musl and glibc builds differ) and `runtime` the final-stage image.
 * A base family missing from `runtime` is not offered for that language.
 */
import type { BaseFamily, LanguageId } from './languages.js';

export interface VersionPins {
  build: Partial<Record<BaseFamily, string>>;
  runtime: Partial<Record<BaseFamily, string>>;
}

export type LanguagePins = Record<string, VersionPins>;

const distrolessStatic = 'gcr.io/distroless/static-debian12:nonroot';

export const languagePins: Record<LanguageId, LanguagePins> = {
  node: {
    '24': {
      build: { alpine: 'node:24.11.1-alpine3.22', distroless: 'node:24.11.1-bookworm-slim', 'debian-slim': 'node:24.11.1-bookworm-slim' },
      runtime: { alpine: 'node:24.11.1-alpine3.22', distroless: 'gcr.io/distroless/nodejs24-debian12:nonroot', 'debian-slim': 'node:24.11.1-bookworm-slim' },
    },
    '22': {
      build: { alpine: 'node:22.21.1-alpine3.22', distroless: 'node:22.21.1-bookworm-slim', 'debian-slim': 'node:22.21.1-bookworm-slim' },
      runtime: { alpine: 'node:22.21.1-alpine3.22', distroless: 'gcr.io/distroless/nodejs22-debian12:nonroot', 'debian-slim': 'node:22.21.1-bookworm-slim' },
    },
  },
  python: {
    '3.13': {
      build: { alpine: 'python:3.13.9-alpine3.22', 'debian-slim': 'python:3.13.9-slim-bookworm' },
      runtime: { alpine: 'python:3.13.9-alpine3.22', 'debian-slim': 'python:3.13.9-slim-bookworm' },
    },
    '3.12': {
      build: { alpine: 'python:3.12.12-alpine3.22', 'debian-slim': 'python:3.12.12-slim-bookworm' },
      runtime: { alpine: 'python:3.12.12-alpine3.22', 'debian-slim': 'python:3.12.12-slim-bookworm' },
    },
    // Debian 12's distroless image ships Python 3.11: the venv built here must match its ABI.
    '3.11': {
      build: { alpine: 'python:3.11.14-alpine3.22', distroless: 'python:3.11.14-slim-bookworm', 'debian-slim': 'python:3.11.14-slim-bookworm' },
      runtime: { alpine: 'python:3.11.14-alpine3.22', distroless: 'gcr.io/distroless/python3-debian12:nonroot', 'debian-slim': 'python:3.11.14-slim-bookworm' },
    },
  },
  go: {
    '1.25': {
      build: { scratch: 'golang:1.25.4-alpine3.22', distroless: 'golang:1.25.4-alpine3.22', alpine: 'golang:1.25.4-alpine3.22', 'debian-slim': 'golang:1.25.4-bookworm' },
      runtime: { scratch: 'scratch', distroless: distrolessStatic, alpine: 'alpine:3.22.2', 'debian-slim': 'debian:12.12-slim' },
    },
  },
  rust: {
    '1.91': {
      build: { scratch: 'rust:1.91.1-alpine3.22', distroless: 'rust:1.91.1-alpine3.22', alpine: 'rust:1.91.1-alpine3.22', 'debian-slim': 'rust:1.91.1-slim-bookworm' },
      runtime: { scratch: 'scratch', distroless: distrolessStatic, alpine: 'alpine:3.22.2', 'debian-slim': 'debian:12.12-slim' },
    },
  },
  java: {
    '21': {
      build: { alpine: 'maven:3.9.11-eclipse-temurin-21-alpine', distroless: 'maven:3.9.11-eclipse-temurin-21' },
      runtime: { alpine: 'eclipse-temurin:21.0.9_10-jre-alpine', distroless: 'gcr.io/distroless/java21-debian12:nonroot' },
    },
    '17': {
      build: { alpine: 'maven:3.9.11-eclipse-temurin-17-alpine', distroless: 'maven:3.9.11-eclipse-temurin-17' },
      runtime: { alpine: 'eclipse-temurin:17.0.17_10-jre-alpine', distroless: 'gcr.io/distroless/java17-debian12:nonroot' },
    },
  },
  dotnet: {
    '10.0': {
      build: { alpine: 'mcr.microsoft.com/dotnet/sdk:10.0.100-alpine3.22', distroless: 'mcr.microsoft.com/dotnet/sdk:10.0.100-noble', 'debian-slim': 'mcr.microsoft.com/dotnet/sdk:10.0.100-noble' },
      runtime: { alpine: 'mcr.microsoft.com/dotnet/aspnet:10.0.0-alpine3.22', distroless: 'mcr.microsoft.com/dotnet/aspnet:10.0.0-noble-chiseled', 'debian-slim': 'mcr.microsoft.com/dotnet/aspnet:10.0.0-noble' },
    },
    '8.0': {
      build: { alpine: 'mcr.microsoft.com/dotnet/sdk:8.0.416-alpine3.22', distroless: 'mcr.microsoft.com/dotnet/sdk:8.0.416-bookworm-slim', 'debian-slim': 'mcr.microsoft.com/dotnet/sdk:8.0.416-bookworm-slim' },
      runtime: { alpine: 'mcr.microsoft.com/dotnet/aspnet:8.0.22-alpine3.22', distroless: 'mcr.microsoft.com/dotnet/aspnet:8.0.22-jammy-chiseled', 'debian-slim': 'mcr.microsoft.com/dotnet/aspnet:8.0.22-bookworm-slim' },
    },
  },
  php: {
    '8.4': {
      build: { alpine: 'composer:2.8.12', 'debian-slim': 'composer:2.8.12' },
      runtime: { alpine: 'php:8.4.14-cli-alpine3.22', 'debian-slim': 'php:8.4.14-cli-bookworm' },
    },
    '8.3': {
      build: { alpine: 'composer:2.8.12', 'debian-slim': 'composer:2.8.12' },
      runtime: { alpine: 'php:8.3.27-cli-alpine3.22', 'debian-slim': 'php:8.3.27-cli-bookworm' },
    },
  },
};

/** Backing services (C08): alpine variants where the project publishes one. */
export const servicePins = {
  postgres: 'postgres:17.6-alpine3.22',
  redis: 'redis:8.2.3-alpine3.22',
  // MongoDB publishes no alpine image; the Ubuntu "noble" variant is the smallest official one.
  mongo: 'mongo:8.0.15-noble',
} as const;

/** Package managers the build stages install with pip before using them (D08: exact versions). */
export const toolPins = {
  uv: '0.10.2',
  poetry: '2.2.1',
} as const;

/** The HashiCorp versions the generated files are written for (syntax checked against these). */
export const hashicorp = {
  nomad: '1.10',
  vault: '1.20',
} as const;
