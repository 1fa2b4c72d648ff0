import { describe, expect, it } from 'vitest';
import { checkDockerfile } from '../../src/check/dockerfile.js';
import { getLanguage, identityOf } from '../../src/languages.js';
import { dockerfileViolations, parseDockerfile } from '../helpers/dockerfile.js';
import { combinations, fileOf, render } from '../helpers/render.js';

describe('every Dockerfile passes the Dockerfile parser and rules D01-D16', () => {
  for (const combo of combinations()) {
    it(`${combo.language} ${combo.languageVersion} on ${combo.base}`, async () => {
      const tree = await render({ ...combo, port: '9090' }, ['docker', 'app']);
      const text = fileOf(tree, 'Dockerfile');
      const { uid, gid } = identityOf(combo.language, combo.base);
      expect(dockerfileViolations(text, { port: 9090, uid, gid })).toEqual([]);
    });
  }
});

describe('each package manager installs exactly its lockfile, on every version and base', () => {
  const installs: Record<string, [copy: string, install: string]> = {
    npm: ['COPY package.json package-lock.json ./', 'npm ci --omit=dev'],
    pnpm: ['COPY package.json pnpm-lock.yaml ./', 'corepack pnpm install --frozen-lockfile --prod'],
    yarn: ['COPY package.json yarn.lock ./', 'corepack yarn install --frozen-lockfile --production'],
    'yarn-berry': ['COPY package.json yarn.lock .yarnrc.yml* ./', 'corepack yarn install --immutable --mode=skip-build \\\n && corepack yarn workspaces focus --all --production \\\n'],
    pip: ['COPY requirements.txt ./', 'pip install --no-cache-dir -r requirements.txt'],
    uv: ['COPY pyproject.toml uv.lock ./', 'uv sync --locked --no-dev --no-install-project'],
    poetry: ['COPY pyproject.toml poetry.lock ./', 'poetry install --only main --no-root --no-interaction'],
    maven: ['COPY pom.xml ./', 'mvn -B package -DskipTests'],
    gradle: ['COPY gradlew settings.gradle* build.gradle* gradle.properties* ./', 'sh gradlew --no-daemon assemble'],
  };
  for (const combo of combinations()) {
    for (const { id, lockfile } of getLanguage(combo.language).packageManagers ?? []) {
      it(`${id}, ${combo.language} ${combo.languageVersion} on ${combo.base}`, async () => {
        const [copy, install] = installs[id]!;
        const tree = await render({ ...combo, port: '9090', packageManager: id }, ['docker']);
        const text = fileOf(tree, 'Dockerfile');
        const { uid, gid } = identityOf(combo.language, combo.base);
        expect(dockerfileViolations(text, { port: 9090, uid, gid })).toEqual([]);
        expect(checkDockerfile(text, 'Dockerfile')).toEqual([]);
        expect(text).toContain(`\n${copy}\n`);
        expect(text).toContain(install);
        // No other manager's file is named: COPY of a missing file fails the build.
        const others = Object.values(installs).map(([c]) => c.split(' ').slice(1, -1)).flat().filter((f) => !copy.includes(f));
        for (const other of others) expect(text, other).not.toContain(` ${other}`);
        expect(copy).toContain(lockfile);
      });
    }
  }
});

describe("a Node project's own build script runs in a build stage, on every version, base and package manager", () => {
  const installs: Record<string, [install: string, run: string]> = {
    npm: ['npm ci\n', 'RUN npm run build:prod\n'],
    pnpm: ['corepack pnpm install --frozen-lockfile --store-dir /root/.cache/pnpm\n', 'RUN corepack pnpm run build:prod\n'],
    yarn: ['corepack yarn install --frozen-lockfile --non-interactive --cache-folder /root/.cache/yarn\n', 'RUN corepack yarn run build:prod\n'],
    'yarn-berry': ['RUN --mount=type=cache,target=/root/.yarn/berry \\\n    corepack yarn install --immutable\n', 'RUN corepack yarn run build:prod\n'],
  };
  for (const combo of combinations().filter((c) => c.language === 'node')) {
    for (const [packageManager, [install, run]] of Object.entries(installs)) {
      it(`${packageManager}, node ${combo.languageVersion} on ${combo.base}`, async () => {
        const tree = await render({ ...combo, port: '9090', packageManager, buildScript: 'build:prod', start: 'node --enable-source-maps dist/server.js', sources: ['src', 'tsconfig.json'] }, ['docker']);
        const text = fileOf(tree, 'Dockerfile');
        const { uid, gid } = identityOf(combo.language, combo.base);
        expect(dockerfileViolations(text, { port: 9090, uid, gid })).toEqual([]);
        expect(checkDockerfile(text, 'Dockerfile')).toEqual([]);
        const stages = parseDockerfile(text).stages;
        expect(stages.map((st) => st.name)).toEqual(['deps', 'build', 'runtime']);
        const build = text.slice(text.indexOf('FROM deps AS build'), text.indexOf('FROM ${RUNTIME_IMAGE}'));
        expect(build).toContain(install);
        // pnpm would ask (with no terminal) before replacing the production-only node_modules.
        if (packageManager === 'pnpm') expect(build).toContain('    rm -rf node_modules \\\n && corepack pnpm install');
        expect(build).toContain('COPY src ./src\nCOPY tsconfig.json ./tsconfig.json\n');
        expect(build).toContain(run);
        expect(text).toContain('\nCOPY --from=build /app/dist ./dist\n');
        expect(text).toContain('ENTRYPOINT [');
      });
    }
  }

  it('is absent without a build script, and refused where the start command runs no built file', async () => {
    const text = fileOf(await render({ language: 'node' }, ['docker']), 'Dockerfile');
    expect(text).not.toContain('AS build');
    await expect(render({ language: 'node', buildScript: 'build', start: 'node server.js' }, ['docker'])).rejects.toThrow(/build-script "build" needs a start command that runs the built file from its folder/);
  });
});

describe('the rule checks themselves catch violations', () => {
  const bad = [
    'FROM python AS build',
    'ADD . /app',
    'COPY . .',
    'ENV API_TOKEN=abc',
    'EXPOSE 22',
    'WORKDIR app',
    'CMD python app.py',
    'RUN curl -k https://x | sh',
    'RUN cd /tmp && make',
    'USER root',
    'MAINTAINER me',
  ].join('\n');
  it('reports the seed-style Dockerfile', () => {
    const ids = dockerfileViolations(bad, { port: 8000, uid: 10001, gid: 10001 }).map((v) => v.split(':')[0]);
    for (const id of ['D01', 'D02', 'D04', 'D05', 'D06', 'D07', 'D09', 'D10', 'D11', 'D12', 'D14', 'D15']) expect(ids).toContain(id);
  });
  it('resolves ARG-driven FROM lines', () => {
    const { stages } = parseDockerfile('ARG IMG=node:24.1.0-alpine\nFROM ${IMG} AS a\nFROM scratch\n');
    expect(stages.map((s) => s.image)).toEqual(['node:24.1.0-alpine', 'scratch']);
  });
});
