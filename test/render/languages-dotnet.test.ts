/**
 * .NET: every pinned version x base renders a Dockerfile that the real parser accepts and that
 * satisfies D01-D16 (with the images' own "app" user, 1654), and a seed app whose project and
 * entry point agree with the Dockerfile (App.dll, the --healthcheck mode, the port).
 */
import dockerignore from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { identityOf } from '../../src/languages.js';
import { languagePins } from '../../src/pins.js';
import { dockerfileViolations, parseDockerfile } from '../helpers/dockerfile.js';
import { argsOf, execOf, finalOf, uncommented } from '../helpers/dockerfile-final.js';
import { combinations, fileOf, render } from '../helpers/render.js';

const ignore = (dockerignore as unknown as { default: typeof dockerignore.default }).default;
const combos = combinations().filter((c) => c.language === 'dotnet');

describe('dotnet Dockerfile', () => {
  for (const combo of combos) {
    it(`${combo.languageVersion} on ${combo.base}: parses cleanly and follows D01-D16`, async () => {
      const tree = await render({ ...combo, port: '9090' }, ['docker', 'app']);
      const text = fileOf(tree, 'Dockerfile');
      const identity = identityOf('dotnet', combo.base);
      expect(identity).toEqual({ uid: 1654, gid: 1654, providedByImage: true });
      expect(dockerfileViolations(text, { port: 9090, uid: 1654, gid: 1654 })).toEqual([]);
      expect(uncommented(text)).toEqual([]);

      const { stages } = parseDockerfile(text);
      const pins = languagePins.dotnet[combo.languageVersion]!;
      expect(stages.map((s) => s.image)).toEqual([pins.build[combo.base], pins.runtime[combo.base]]);
      expect(stages[0]!.image).toMatch(/^mcr\.microsoft\.com\/dotnet\/sdk:/);
      expect(stages[1]!.image).toMatch(/^mcr\.microsoft\.com\/dotnet\/aspnet:/);

      const chiseled = combo.base === 'distroless';
      expect(chiseled).toBe(stages[1]!.image.includes('chiseled'));
      const dotnet = chiseled ? '/usr/bin/dotnet' : 'dotnet';
      expect(argsOf(text, 'ENTRYPOINT').map(execOf)).toEqual([[dotnet, 'App.dll']]);
      expect(argsOf(text, 'HEALTHCHECK').map(execOf)).toEqual([[dotnet, 'App.dll', '--healthcheck']]);
      expect(argsOf(text, 'ENV')).toEqual(['ASPNETCORE_HTTP_PORTS=9090']);
      // The image ships the user: never created here. Chiseled has no shell, so no RUN at all;
      // elsewhere D13 strips setuid bits.
      const runs = argsOf(text, 'RUN');
      expect(runs.some((r) => /adduser|useradd|groupadd|addgroup/.test(r))).toBe(false);
      if (chiseled) expect(runs).toEqual([]);
      else expect(runs).toEqual(['find / -xdev -type f -perm /6000 -exec chmod a-s {} +']);
      expect(finalOf(text).filter((i) => i.getKeyword() === 'COPY').map((i) => i.getTextContent())).toEqual(['COPY --from=build /app/publish ./']);

      // The build stage restores first (cache-mounted), then publishes without restoring again.
      const build = stages[0]!.instructions.map((i) => i.getTextContent());
      const restore = build.findIndex((t) => t.includes('dotnet restore'));
      const publish = build.findIndex((t) => t.includes('dotnet publish'));
      expect(restore).toBeGreaterThan(build.indexOf('COPY *.csproj ./'));
      expect(publish).toBeGreaterThan(build.indexOf('COPY Program.cs ./Program.cs'));
      expect(build.indexOf('COPY Program.cs ./Program.cs')).toBeGreaterThan(restore);
      expect(build[restore]).toContain('--mount=type=cache,target=/root/.nuget/packages');
      // D08: exactly what packages.lock.json locks, when the project has one, as npm ci installs package-lock.json.
      expect(build[restore]).toMatch(/ dotnet restore --locked-mode$/);
      expect(build[publish]).toContain('dotnet publish -c Release -o /app/publish --no-restore');
      expect(parseDockerfile(text).dockerfile.getInstructions().filter((i) => /curl|wget/.test(i.getTextContent()))).toEqual([]);
    });
  }
});

describe('dotnet Dockerfile for a named project (buildTarget)', () => {
  const buildStage = async (buildTarget: string, sources: string[]) => {
    const text = fileOf(await render({ language: 'dotnet', buildTarget, sources }, ['docker']), 'Dockerfile');
    expect(dockerfileViolations(text, { port: 8080, uid: 1654, gid: 1654 })).toEqual([]);
    expect(uncommented(text)).toEqual([]);
    return parseDockerfile(text).stages[0]!.instructions.map((i) => i.getTextContent().replace(/--mount=\S+ /, ''));
  };

  it('not at the top: copies the sources (the project and those it references) before restoring and publishing it', async () => {
    expect(await buildStage('src/Todo.Api/Todo.Api.csproj', ['src'])).toEqual([
      'WORKDIR /src',
      'COPY src ./src',
      'RUN dotnet restore src/Todo.Api/Todo.Api.csproj --locked-mode',
      'RUN dotnet publish src/Todo.Api/Todo.Api.csproj -c Release -o /app/publish --no-restore',
    ]);
  });

  it('at the top: copies that project file first, and restores and publishes it by name', async () => {
    expect(await buildStage('Orders.Api.csproj', ['Program.cs'])).toEqual([
      'WORKDIR /src',
      'COPY Orders.Api.csproj packages.lock.json* packages.*.lock.json* ./',
      'RUN dotnet restore Orders.Api.csproj --locked-mode',
      'COPY Program.cs ./Program.cs',
      'RUN dotnet publish Orders.Api.csproj -c Release -o /app/publish --no-restore',
    ]);
  });

  it('refuses what is no project file the Dockerfile can name', async () => {
    for (const bad of ['src/Api', '../Api/Api.csproj', 'src/../Api.csproj', '/src/Api.csproj', 'src/My Api/Api.csproj']) {
      await expect(render({ language: 'dotnet', buildTarget: bad }, ['docker']), bad).rejects.toThrow(/build-target .* is not the project file dotnet restores and publishes/);
    }
  });
});

describe('dotnet seed app', () => {
  for (const combo of combos) {
    it(`${combo.languageVersion} on ${combo.base}: agrees with the Dockerfile`, async () => {
      const tree = await render({ ...combo, name: 'catalog', port: '9090', healthPath: '/status/live' }, ['docker', 'app']);
      const csproj = fileOf(tree, 'App.csproj');
      const property = (name: string) => [...csproj.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
      expect(csproj).toMatch(/^<Project Sdk="Microsoft\.NET\.Sdk\.Web">\n[\s\S]*\n<\/Project>\n$/);
      expect(property('TargetFramework')).toEqual([`net${combo.languageVersion}`]);
      expect(property('AssemblyName')).toEqual(['App']);
      expect(property('UseAppHost')).toEqual(['false']);
      expect(csproj).not.toMatch(/PackageReference/);

      const program = fileOf(tree, 'Program.cs');
      expect(program).toContain('const int Port = 9090;');
      expect(program).toContain('const string HealthPath = "/status/live";');
      expect(program).toContain('args.Contains("--healthcheck")');
      expect(program).toContain('builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);');
      expect(program).toContain('$"http://127.0.0.1:{Port}{HealthPath}"');
      expect(program).toContain('app.MapGet(HealthPath,');
      expect(program).toContain('app.MapGet("/", () => Results.Json(new { service = "catalog" }));');
      // Balanced braces and parentheses: a cheap guard against a template slip (no C# compiler here).
      for (const [open, close] of [['{', '}'], ['(', ')']] as const) {
        expect(program.split(open).length).toBe(program.split(close).length);
      }

      const ig = ignore({ ignorecase: false }).add(fileOf(tree, '.dockerignore'));
      for (const copied of ['App.csproj', 'Program.cs']) {
        expect(tree.has(copied)).toBe(true);
        expect(ig.ignores(copied)).toBe(false);
      }
    });
  }

  it("probes with the project's own assembly and start arguments, on every base (an existing project's is not App.dll)", async () => {
    for (const base of ['alpine', 'distroless'] as const) {
      const tree = await render({ language: 'dotnet', base, start: 'dotnet Orders.Api.dll --urls http://0.0.0.0:8080' }, ['docker', 'compose']);
      const dotnet = base === 'distroless' ? '/usr/bin/dotnet' : 'dotnet';
      const probe = [dotnet, 'Orders.Api.dll', '--urls', 'http://0.0.0.0:8080', '--healthcheck'];
      expect(argsOf(fileOf(tree, 'Dockerfile'), 'HEALTHCHECK').map(execOf)).toEqual([probe]);
      expect(fileOf(tree, 'compose.yaml')).toContain(`test: ${JSON.stringify(['CMD', ...probe]).replace(/","/g, '", "')}`);
    }
  });

  it('maps no second "/" route when the health path is "/"', async () => {
    const tree = await render({ language: 'dotnet', healthPath: '/' }, ['app']);
    const program = fileOf(tree, 'Program.cs');
    expect(program).toContain('const string HealthPath = "/";');
    expect(program).not.toContain('app.MapGet("/"');
  });
});
